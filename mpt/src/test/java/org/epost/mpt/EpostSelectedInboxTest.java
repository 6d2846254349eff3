package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.SelectedInbox;

/** James's IMAP suite {@code SelectedInbox}, unchanged, against the ePOST mailbox. */
class EpostSelectedInboxTest extends SelectedInbox {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
