package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.NonAuthenticatedState;

/** James's IMAP suite {@code NonAuthenticatedState}, unchanged, against the ePOST mailbox. */
class EpostNonAuthenticatedStateTest extends NonAuthenticatedState {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
