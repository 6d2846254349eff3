package org.epost.mailbox;

import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.SubscriptionManagerContract;
import org.apache.james.mailbox.store.StoreSubscriptionManager;
import org.junit.jupiter.api.BeforeEach;

/** James's SubscriptionManager contract over the ePOST backend's subscription mapper. */
class PostSubscriptionManagerTest implements SubscriptionManagerContract {
    private SubscriptionManager subscriptionManager;

    @BeforeEach
    void setUp() {
        // The contract's session is a static constant, and James's mapper factory caches a session's mappers in its
        // attributes: forget the previous test's mapper so that each test runs on its own fresh backend.
        SESSION.getAttributes().clear();
        PostMailboxManager manager = PostIntegrationResources.defaultResources().getMailboxManager();
        subscriptionManager = new StoreSubscriptionManager(manager.getMapperFactory(), manager.getMapperFactory(),
            manager.getEventBus());
    }

    @Override
    public SubscriptionManager getSubscriptionManager() {
        return subscriptionManager;
    }
}
