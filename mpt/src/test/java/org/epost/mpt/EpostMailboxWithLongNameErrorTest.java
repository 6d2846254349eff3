package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.MailboxWithLongNameError;

/** James's IMAP suite {@code MailboxWithLongNameError}, unchanged, against the ePOST mailbox. */
class EpostMailboxWithLongNameErrorTest extends MailboxWithLongNameError {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
