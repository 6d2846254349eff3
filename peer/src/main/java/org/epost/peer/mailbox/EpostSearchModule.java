package org.epost.peer.mailbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Singleton;

import org.apache.james.events.EventListener;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.mailbox.store.search.ListeningMessageSearchIndex;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.epost.peer.config.EpostConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Full-text search on the home peer: James's Lucene index (committed every {@code search.commit-interval}, caught up
 * with the folders at start, see {@link CommittingLuceneSearchIndex}) in {@code data.dir/search-index}, in place of
 * the memory server's scanning index, which now only answers what Lucene does not index (see
 * {@link AttachmentAwareSearchIndex}). The index is fed by James's event bus like any James search listener, so it
 * holds only the mail of this peer's own users (a local cache of their plaintext, as their IMAP session is); the mail
 * itself stays in POST. Being James's {@link ListeningMessageSearchIndex}, it is also what James's ReIndexer writes
 * into.
 */
public class EpostSearchModule extends AbstractModule {
    private static final Logger LOG = LoggerFactory.getLogger(EpostSearchModule.class);
    static final String INDEX_DIRECTORY = "search-index";

    @Override
    protected void configure() {
        bind(CommittingLuceneSearchIndex.class).in(Scopes.SINGLETON);
        bind(AttachmentAwareSearchIndex.class).in(Scopes.SINGLETON);
        bind(MessageSearchIndex.class).to(AttachmentAwareSearchIndex.class);
        bind(ListeningMessageSearchIndex.class).to(CommittingLuceneSearchIndex.class);
        Multibinder.newSetBinder(binder(), EventListener.ReactiveGroupEventListener.class)
            .addBinding()
            .to(CommittingLuceneSearchIndex.class);
    }

    @Provides
    @Singleton
    Directory searchIndexDirectory(EpostConfiguration configuration) throws IOException {
        return FSDirectory.open(indexDirectory(configuration).toFile());
    }

    /**
     * Catches the index up with the folders of the users homed here, on a thread of its own: a start does not wait
     * for it (a search of a folder it has not reached catches that folder up itself), and reading the users waits for
     * POST.
     */
    @ProvidesIntoSet
    InitializationOperation catchUpSearchIndex(CommittingLuceneSearchIndex index, PeerMailboxStorage storage,
                                               EpostConfiguration configuration) {
        return InitilizationOperationBuilder
            .forClass(CommittingLuceneSearchIndex.class)
            .init(() -> {
                if (configuration.post().isPresent()) {
                    Thread thread = new Thread(() -> catchUp(index, storage), "epost-search-catch-up");
                    thread.setDaemon(true);
                    thread.start();
                }
            });
    }

    private static void catchUp(CommittingLuceneSearchIndex index, PeerMailboxStorage storage) {
        try {
            long started = System.nanoTime();
            long fixed = index.catchUpAll(storage.users());
            LOG.info("Search index compared with every local folder in {} ms: {} messages indexed again, dropped or"
                + " with new flags{}", (System.nanoTime() - started) / 1_000_000, Math.max(fixed, 0),
                fixed < 0 ? " (some folders failed: each is caught up at its first search)" : "");
        } catch (RuntimeException e) {
            LOG.warn("Cannot catch the search index up with the folders ({}); each is caught up at its first search",
                e.toString());
        }
    }

    static Path indexDirectory(EpostConfiguration configuration) throws IOException {
        return Files.createDirectories(configuration.dataDirectory().resolve(INDEX_DIRECTORY));
    }
}
