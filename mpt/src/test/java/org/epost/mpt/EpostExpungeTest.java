package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Expunge;

/** James's IMAP suite {@code Expunge}, unchanged, against the ePOST mailbox. */
class EpostExpungeTest extends Expunge {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
