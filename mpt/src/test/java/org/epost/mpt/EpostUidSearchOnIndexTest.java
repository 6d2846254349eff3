package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UidSearchOnIndex;

/** James's IMAP suite {@code UidSearchOnIndex}, unchanged, against the ePOST mailbox. */
class EpostUidSearchOnIndexTest extends UidSearchOnIndex {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
