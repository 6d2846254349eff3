package org.epost.mailbox;

import java.time.Clock;
import java.time.Instant;

import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.store.AbstractMessageIdManagerQuotaTest;
import org.apache.james.mailbox.store.MessageIdManagerTestSystem;
import org.apache.james.mailbox.store.quota.StoreQuotaManager;
import org.apache.james.utils.UpdatableTickingClock;
import org.epost.mailbox.quota.PostMaxQuotaManager;
import org.epost.mailbox.quota.QuotaRootOwners;
import org.epost.mailbox.support.InMemoryPeerQuotaLimitStore;
import org.epost.mailbox.support.TestMailboxStorage;

/** James's over-quota checks on copies by message id: usage derived from the ePOST folder logs, durable limits. */
class PostMessageIdManagerQuotaTest extends AbstractMessageIdManagerQuotaTest {
    private final Clock clock = new UpdatableTickingClock(Instant.now());
    private final PostIntegrationResources.BaseStage stage =
        PostIntegrationResources.BaseStage.of(TestMailboxStorage.inMemory(), clock);
    private MaxQuotaManager maxQuotaManager;

    @Override
    protected MaxQuotaManager createMaxQuotaManager() {
        maxQuotaManager = new PostMaxQuotaManager(stage.mapperFactory().registry(),
            QuotaRootOwners.userRoots(stage.quotaRootResolver()), new InMemoryPeerQuotaLimitStore());
        return maxQuotaManager;
    }

    @Override
    protected CurrentQuotaManager createCurrentQuotaManager() {
        return stage.currentQuotaManager();
    }

    @Override
    protected QuotaManager createQuotaManager(MaxQuotaManager maxQuotaManager, CurrentQuotaManager currentQuotaManager) {
        return new StoreQuotaManager(currentQuotaManager, maxQuotaManager);
    }

    @Override
    protected MessageIdManagerTestSystem createTestSystem(QuotaManager quotaManager,
                                                          CurrentQuotaManager currentQuotaManager) {
        PostIntegrationResources resources = PostIntegrationResources.builder()
            .baseStage(stage, clock)
            .maxQuotaManager(maxQuotaManager)
            .quotaManager(quotaManager)
            .build();
        return new MessageIdManagerTestSystem(resources.getMessageIdManager(), resources.getMessageIdFactory(),
            resources.getMapperFactory(), resources.getMailboxManager());
    }
}
