package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.FetchBodySection;

/** James's IMAP suite {@code FetchBodySection}, unchanged, against the ePOST mailbox. */
class EpostFetchBodySectionTest extends FetchBodySection {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
