package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Listing;

/** James's IMAP suite {@code Listing}, unchanged, against the ePOST mailbox. */
class EpostListingTest extends Listing {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
