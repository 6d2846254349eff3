package org.epost.peer.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.apache.james.mailbox.store.extractor.DefaultTextExtractor;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.lucene.store.RAMDirectory;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.PostSearchIndexContract;

/**
 * James's SEARCH contract on the ePOST backend with the peer's search index as {@link EpostSearchModule} wires it:
 * {@link AttachmentAwareSearchIndex} over {@link CommittingLuceneSearchIndex} (registered on the event bus) and James's
 * scanning index. Run by {@link PeerSearchTest}.
 */
public class PeerSearchContract extends PostSearchIndexContract {
    @Override
    protected PostIntegrationResources resources() {
        CommittingLuceneSearchIndex[] lucene = new CommittingLuceneSearchIndex[1];
        PostIntegrationResources resources = PostIntegrationResources.builder()
            .searchIndex(stage -> {
                lucene[0] = luceneIndex(stage);
                return new AttachmentAwareSearchIndex(lucene[0], new SimpleMessageSearchIndex(stage.mapperFactory(),
                    stage.mapperFactory(), new DefaultTextExtractor(), stage.attachmentManager()));
            })
            .build();
        resources.getEventBus().register(lucene[0]);
        return resources;
    }

    private static CommittingLuceneSearchIndex luceneIndex(PostIntegrationResources.SearchStage stage) {
        try {
            return new CommittingLuceneSearchIndex(stage.mapperFactory(), new PostMailboxId.Factory(),
                new RAMDirectory(), stage.messageIdFactory(), stage.sessionProvider(), Duration.ofMillis(100));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
