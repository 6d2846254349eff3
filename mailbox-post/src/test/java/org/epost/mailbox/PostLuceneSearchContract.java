package org.epost.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.james.mailbox.lucene.search.LuceneMessageSearchIndex;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.AbstractMessageSearchIndexTest;
import org.apache.lucene.store.RAMDirectory;

/**
 * James's SEARCH contract with James's Lucene index over the ePOST backend, wired as the peer wires it: the index is
 * a listener of the mailbox event bus and reads new messages through the ePOST mappers. Not run by surefire directly
 * (see {@link PostLuceneSearchTest}): a few of its tests fail on James's Lucene index itself.
 */
public class PostLuceneSearchContract extends AbstractMessageSearchIndexTest {
    @Override
    protected void initializeMailboxManager() {
        PostIntegrationResources resources = PostIntegrationResources.builder()
            .searchIndex(PostLuceneSearchContract::luceneIndex)
            .build();
        storeMailboxManager = resources.getMailboxManager();
        messageIdManager = resources.getMessageIdManager();
        messageSearchIndex = resources.getSearchIndex();
        eventBus = resources.getEventBus();
        messageIdFactory = resources.getMessageIdFactory();
    }

    private static LuceneMessageSearchIndex luceneIndex(PostIntegrationResources.SearchStage stage) {
        try {
            return new LuceneMessageSearchIndex(stage.mapperFactory(), new PostMailboxId.Factory(),
                new RAMDirectory(), stage.messageIdFactory(), stage.sessionProvider());
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
        return messageIdFactory.generate();
    }

    @Override
    protected MessageId initOtherBasedMessageId() {
        return messageIdFactory.generate();
    }
}
