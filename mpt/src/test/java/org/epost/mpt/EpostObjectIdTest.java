package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.ObjectId;

/** James's IMAP suite {@code ObjectId}, unchanged, against the ePOST mailbox. */
class EpostObjectIdTest extends ObjectId {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
