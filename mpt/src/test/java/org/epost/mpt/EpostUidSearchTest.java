package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UidSearch;

/** James's IMAP suite {@code UidSearch}, unchanged, against the ePOST mailbox. */
class EpostUidSearchTest extends UidSearch {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
