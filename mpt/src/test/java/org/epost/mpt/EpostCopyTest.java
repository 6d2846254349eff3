package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Copy;

/** James's IMAP suite {@code Copy}, unchanged, against the ePOST mailbox. */
class EpostCopyTest extends Copy {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
