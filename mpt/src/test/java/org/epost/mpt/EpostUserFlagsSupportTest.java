package org.epost.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UserFlagsSupport;

/** James's IMAP suite {@code UserFlagsSupport}, unchanged, against the ePOST mailbox. */
class EpostUserFlagsSupportTest extends UserFlagsSupport {
    private final EpostHostSystem system = EpostHostSystem.started();

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return system;
    }
}
