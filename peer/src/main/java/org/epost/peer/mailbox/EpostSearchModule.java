package org.epost.peer.mailbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Singleton;

import org.apache.james.events.EventListener;
import org.apache.james.mailbox.store.search.ListeningMessageSearchIndex;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.epost.peer.config.EpostConfiguration;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;

/**
 * Full-text search on the home peer: James's Lucene index (committed after each event, see
 * {@link CommittingLuceneSearchIndex}) in {@code data.dir/search-index}, in place of the memory server's scanning
 * index, which now only answers what Lucene does not index (see {@link AttachmentAwareSearchIndex}). The index is fed
 * by James's event bus like any James search listener, so it holds only the mail of this peer's own users (a local
 * cache of their plaintext, as their IMAP session is); the mail itself stays in POST. Being James's
 * {@link ListeningMessageSearchIndex}, it is also what James's ReIndexer writes into.
 */
public class EpostSearchModule extends AbstractModule {
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

    static Path indexDirectory(EpostConfiguration configuration) throws IOException {
        return Files.createDirectories(configuration.dataDirectory().resolve(INDEX_DIRECTORY));
    }
}
