package org.epost.mailbox;

import org.apache.james.mailbox.manager.IntegrationResources;
import org.apache.james.mailbox.manager.ManagerTestProvisionner;
import org.apache.james.mailbox.manager.QuotaMessageManagerContract;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.junit.jupiter.api.BeforeEach;

/** James's quota enforcement contract (append, copy, expunge against limits) over usage derived from the logs. */
class PostQuotaMailboxMessageManagerTest implements QuotaMessageManagerContract<StoreMailboxManager> {
    private PostIntegrationResources resources;
    private ManagerTestProvisionner provisionner;

    @BeforeEach
    void setUp() throws Exception {
        resources = PostIntegrationResources.defaultResources();
        provisionner = new ManagerTestProvisionner(resources);
        provisionner.createMailboxes();
    }

    @Override
    public IntegrationResources<StoreMailboxManager> getResources() {
        return resources;
    }

    @Override
    public ManagerTestProvisionner getProvisionner() {
        return provisionner;
    }
}
