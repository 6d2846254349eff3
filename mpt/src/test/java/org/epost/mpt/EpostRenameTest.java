package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Rename;

/** James's IMAP suite {@code Rename}, unchanged, against the ePOST mailbox. */
class EpostRenameTest extends Rename {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
