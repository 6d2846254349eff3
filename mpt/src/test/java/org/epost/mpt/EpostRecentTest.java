package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Recent;

/** James's IMAP suite {@code Recent}, unchanged, against the ePOST mailbox. */
class EpostRecentTest extends Recent {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
