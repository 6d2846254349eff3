package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.ConcurrentSessions;

/** James's IMAP suite {@code ConcurrentSessions}, unchanged, against the ePOST mailbox. */
class EpostConcurrentSessionsTest extends ConcurrentSessions {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
