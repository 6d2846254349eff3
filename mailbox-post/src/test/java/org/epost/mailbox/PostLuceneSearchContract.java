package org.epost.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.james.mailbox.lucene.search.LuceneMessageSearchIndex;
import org.apache.lucene.store.RAMDirectory;
import org.epost.mailbox.model.PostMailboxId;

/**
 * James's SEARCH contract with James's Lucene index over the ePOST backend, wired as the peer wires it: the index is
 * a listener of the mailbox event bus and reads new messages through the ePOST mappers. Not run by surefire directly
 * (see {@link PostLuceneSearchTest}): a few of its tests fail on James's Lucene index itself.
 */
public class PostLuceneSearchContract extends PostSearchIndexContract {
    @Override
    protected PostIntegrationResources resources() {
        return PostIntegrationResources.builder()
            .searchIndex(PostLuceneSearchContract::luceneIndex)
            .build();
    }

    private static LuceneMessageSearchIndex luceneIndex(PostIntegrationResources.SearchStage stage) {
        try {
            return new LuceneMessageSearchIndex(stage.mapperFactory(), new PostMailboxId.Factory(),
                new RAMDirectory(), stage.messageIdFactory(), stage.sessionProvider());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
