package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.ListingWithSharingTest;

/** James's IMAP suite {@code ListingWithSharingTest}, unchanged, against the ePOST mailbox. */
class EpostListingWithSharingTest extends ListingWithSharingTest {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
