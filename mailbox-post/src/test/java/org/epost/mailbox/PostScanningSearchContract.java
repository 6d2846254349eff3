package org.epost.mailbox;

/**
 * James's SEARCH contract with James's scanning search index reading the ePOST backend: message contents are fetched
 * lazily from the message store while searching, flags and dates come from the folder states. Not run by surefire
 * directly (see {@link PostScanningSearchTest}): a few of its tests fail on the scanning index itself.
 */
public class PostScanningSearchContract extends PostSearchIndexContract {
    @Override
    protected PostIntegrationResources resources() {
        return PostIntegrationResources.defaultResources();
    }
}
