package org.epost.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.james.mailbox.inmemory.InMemoryId;
import org.apache.james.mailbox.inmemory.InMemoryMessageId;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.lucene.search.LuceneMessageSearchIndex;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.AbstractMessageSearchIndexTest;
import org.apache.lucene.store.RAMDirectory;

/**
 * The reference for {@link PostLuceneSearchContract}: the same SEARCH contract with James's Lucene index on James's
 * own memory backend. What fails here fails because of the index, whatever the backend (see
 * {@link PostLuceneSearchTest}).
 */
public class MemoryLuceneSearchContract extends AbstractMessageSearchIndexTest {
    @Override
    protected void initializeMailboxManager() {
        InMemoryIntegrationResources resources = InMemoryIntegrationResources.builder()
            .preProvisionnedFakeAuthenticator()
            .fakeAuthorizator()
            .inVmEventBus()
            .defaultAnnotationLimits()
            .defaultMessageParser()
            .listeningSearchIndex(stage -> luceneIndex(stage))
            .noPreDeletionHooks()
            .storeQuotaManager()
            .build();
        storeMailboxManager = resources.getMailboxManager();
        messageIdManager = resources.getMessageIdManager();
        messageSearchIndex = resources.getSearchIndex();
        eventBus = resources.getEventBus();
        messageIdFactory = resources.getMessageIdFactory();
    }

    private static LuceneMessageSearchIndex luceneIndex(InMemoryIntegrationResources.MailboxManagerSearchIndexStage stage) {
        try {
            return new LuceneMessageSearchIndex(stage.getMapperFactory(), new InMemoryId.Factory(), new RAMDirectory(),
                new InMemoryMessageId.Factory(), stage.getSessionProvider());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The in-VM event bus indexes every appended message before the append returns. */
    @Override
    protected void awaitMessageCount(List<MailboxId> mailboxIds, SearchQuery query, long messageCount) {
    }

    @Override
    protected MessageId initNewBasedMessageId() {
        return InMemoryMessageId.of(100);
    }

    @Override
    protected MessageId initOtherBasedMessageId() {
        return InMemoryMessageId.of(1000);
    }
}
