package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.SelectedState;

/** James's IMAP suite {@code SelectedState}, unchanged, against the ePOST mailbox. */
class EpostSelectedStateTest extends SelectedState {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
