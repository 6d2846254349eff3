package org.epost.mailbox;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.store.AbstractCombinationManagerTest;
import org.apache.james.mailbox.store.CombinationManagerTestSystem;

/** James's contract mixing the by-path and by-message-id managers, against the ePOST backend. */
class PostCombinationManagerTest extends AbstractCombinationManagerTest {
    @Override
    protected CombinationManagerTestSystem createTestingData() {
        PostIntegrationResources resources = PostIntegrationResources.defaultResources();
        return new TestSystem(resources.getMailboxManager(), resources.getMessageIdManager());
    }

    private static final class TestSystem extends CombinationManagerTestSystem {
        private final PostMailboxManager manager;

        TestSystem(MailboxManager mailboxManager, MessageIdManager messageIdManager) {
            super(mailboxManager, messageIdManager);
            this.manager = (PostMailboxManager) mailboxManager;
        }

        @Override
        public Mailbox createMailbox(MailboxPath mailboxPath, MailboxSession session) throws MailboxException {
            manager.createMailbox(mailboxPath, session);
            return manager.getMailbox(mailboxPath, session).getMailboxEntity();
        }

        @Override
        public MessageManager createMessageManager(Mailbox mailbox, MailboxSession session) {
            return manager.createMessageManager(mailbox, session);
        }
    }
}
