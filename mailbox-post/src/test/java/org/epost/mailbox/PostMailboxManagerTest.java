package org.epost.mailbox;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxManagerTest;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.store.StoreSubscriptionManager;

/** James's MailboxManager contract (and its nested classes) against the ePOST backend. */
class PostMailboxManagerTest extends MailboxManagerTest<PostMailboxManager> {
    private PostMailboxManager manager;

    @Override
    protected PostMailboxManager provideMailboxManager() {
        if (manager == null) {
            manager = PostIntegrationResources.builder()
                .annotationLimits(3, 30)
                .preDeletionHooks(preDeletionHooks())
                .build()
                .getMailboxManager();
        }
        return manager;
    }

    @Override
    protected SubscriptionManager provideSubscriptionManager() {
        PostMailboxManager mailboxManager = provideMailboxManager();
        return new StoreSubscriptionManager(mailboxManager.getMapperFactory(), mailboxManager.getMapperFactory(),
            mailboxManager.getEventBus());
    }

    @Override
    protected EventBus retrieveEventBus(PostMailboxManager mailboxManager) {
        return mailboxManager.getEventBus();
    }
}
