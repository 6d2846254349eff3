package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.PartialFetch;

/** James's IMAP suite {@code PartialFetch}, unchanged, against the ePOST mailbox. */
class EpostPartialFetchTest extends PartialFetch {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
