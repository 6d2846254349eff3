package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.FetchHeaders;

/** James's IMAP suite {@code FetchHeaders}, unchanged, against the ePOST mailbox. */
class EpostFetchHeadersTest extends FetchHeaders {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
