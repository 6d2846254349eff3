package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Fetch;

/** James's IMAP suite {@code Fetch}, unchanged, against the ePOST mailbox. */
class EpostFetchTest extends Fetch {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
