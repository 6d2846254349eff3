package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.AuthenticatedState;

/** James's IMAP suite {@code AuthenticatedState}, unchanged, against the ePOST mailbox. */
class EpostAuthenticatedStateTest extends AuthenticatedState {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
