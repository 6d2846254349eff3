package org.epost.mailbox;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.store.AbstractMessageManagerTest;
import org.apache.james.mailbox.store.MessageManagerTestSystem;
import org.junit.jupiter.api.BeforeEach;

/** James's MessageManager contract against the ePOST backend. */
class PostMessageManagerTest extends AbstractMessageManagerTest {
    @BeforeEach
    void setUp() throws Exception {
        PostMailboxManager manager = PostIntegrationResources.defaultResources().getMailboxManager();
        super.setup(new MessageManagerTestSystem(manager) {
            @Override
            public Mailbox createMailbox(MailboxPath mailboxPath, MailboxSession session) throws MailboxException {
                manager.createMailbox(mailboxPath, session);
                return manager.getMailbox(mailboxPath, session).getMailboxEntity();
            }
        });
    }
}
