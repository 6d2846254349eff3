package org.epost.mailbox;

import java.util.Set;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.extension.PreDeletionHook;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.store.AbstractMessageIdManagerSideEffectTest;
import org.apache.james.mailbox.store.MessageIdManagerTestSystem;

/** James's by-message-id manager side-effect contract (events, quota checks, hooks) against the ePOST backend. */
class PostMessageIdManagerSideEffectTest extends AbstractMessageIdManagerSideEffectTest {
    @Override
    protected MessageIdManagerTestSystem createTestSystem(QuotaManager quotaManager, EventBus eventBus,
                                                          Set<PreDeletionHook> preDeletionHooks) {
        PostIntegrationResources resources = PostIntegrationResources.builder()
            .eventBus(eventBus)
            .preDeletionHooks(preDeletionHooks)
            .quotaManager(quotaManager)
            .build();
        return new MessageIdManagerTestSystem(resources.getMessageIdManager(), resources.getMessageIdFactory(),
            resources.getMapperFactory(), resources.getMailboxManager());
    }
}
