package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.QuotaTest;

/** James's IMAP suite {@code QuotaTest}, unchanged, against the ePOST mailbox. */
class EpostQuotaTest extends QuotaTest {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
