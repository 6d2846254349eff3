package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.MailboxAnnotation;

/** James's IMAP suite {@code MailboxAnnotation}, unchanged, against the ePOST mailbox. */
class EpostMailboxAnnotationTest extends MailboxAnnotation {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
