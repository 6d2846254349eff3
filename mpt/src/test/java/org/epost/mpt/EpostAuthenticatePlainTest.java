package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.AuthenticatePlain;

/** James's IMAP suite {@code AuthenticatePlain}, unchanged, against the ePOST mailbox. */
class EpostAuthenticatePlainTest extends AuthenticatePlain {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
