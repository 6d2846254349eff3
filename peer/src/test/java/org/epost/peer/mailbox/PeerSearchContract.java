package org.epost.peer.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.extractor.DefaultTextExtractor;
import org.apache.james.mailbox.store.search.AbstractMessageSearchIndexTest;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.lucene.store.RAMDirectory;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.PostMailboxId;

/**
 * James's SEARCH contract on the ePOST backend with the peer's search index as {@link EpostSearchModule} wires it:
 * {@link AttachmentAwareSearchIndex} over {@link CommittingLuceneSearchIndex} (registered on the event bus) and James's
 * scanning index. Run by {@link PeerSearchTest}.
 */
public class PeerSearchContract extends AbstractMessageSearchIndexTest {
    @Override
    protected void initializeMailboxManager() {
        CommittingLuceneSearchIndex[] lucene = new CommittingLuceneSearchIndex[1];
        PostIntegrationResources resources = PostIntegrationResources.builder()
            .searchIndex(stage -> {
                lucene[0] = luceneIndex(stage);
                return new AttachmentAwareSearchIndex(lucene[0], new SimpleMessageSearchIndex(stage.mapperFactory(),
                    stage.mapperFactory(), new DefaultTextExtractor(), stage.attachmentManager()));
            })
            .build();
        resources.getEventBus().register(lucene[0]);
        storeMailboxManager = resources.getMailboxManager();
        messageIdManager = resources.getMessageIdManager();
        messageSearchIndex = resources.getSearchIndex();
        eventBus = resources.getEventBus();
        messageIdFactory = resources.getMessageIdFactory();
    }

    private static CommittingLuceneSearchIndex luceneIndex(PostIntegrationResources.SearchStage stage) {
        try {
            return new CommittingLuceneSearchIndex(stage.mapperFactory(), new PostMailboxId.Factory(),
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
