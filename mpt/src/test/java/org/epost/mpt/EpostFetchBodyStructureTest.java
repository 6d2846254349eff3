package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.FetchBodyStructure;

/** James's IMAP suite {@code FetchBodyStructure}, unchanged, against the ePOST mailbox. */
class EpostFetchBodyStructureTest extends FetchBodyStructure {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
