package org.epost.mpt;

import org.apache.james.mpt.host.JamesImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Condstore;

/** James's IMAP suite {@code Condstore}, unchanged, against the ePOST mailbox. */
class EpostCondstoreTest extends Condstore {
    @Override
    protected JamesImapHostSystem createJamesImapHostSystem() {
        return EpostHostSystem.started();
    }
}
