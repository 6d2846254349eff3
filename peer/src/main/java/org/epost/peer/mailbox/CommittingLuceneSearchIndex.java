package org.epost.peer.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.inject.Inject;

import org.apache.james.events.Event;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.lucene.search.LuceneMessageSearchIndex;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.lucene.store.Directory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James's Lucene index, committed after every mailbox event it handles. James's index only commits when it is
 * closed (its searches read the writer's uncommitted state), so a peer that dies without a clean shutdown would
 * come back with an index missing mail the mailbox still has, and SEARCH would silently miss it. A home peer
 * handles few events, so one commit (one fsync) each is cheap. A large message is indexed as far as its first
 * {@link IndexedPrefix#MAX_INDEXED_BYTES} only, so indexing it holds a bounded part of it in the heap.
 */
public class CommittingLuceneSearchIndex extends LuceneMessageSearchIndex {

    @Inject
    public CommittingLuceneSearchIndex(MailboxSessionMapperFactory factory, MailboxId.Factory mailboxIdFactory,
                                       Directory directory, MessageId.Factory messageIdFactory,
                                       SessionProvider sessionProvider) throws IOException {
        super(factory, mailboxIdFactory, directory, messageIdFactory, sessionProvider);
    }

    /** Indexes at most the first {@link IndexedPrefix#MAX_INDEXED_BYTES} of a message's content. */
    @Override
    public Mono<Void> add(MailboxSession session, Mailbox mailbox, MailboxMessage message) {
        return super.add(session, mailbox, IndexedPrefix.of(message));
    }

    @Override
    public Mono<Void> reactiveEvent(Event event) {
        return super.reactiveEvent(event)
            .then(Mono.fromRunnable(this::commitQuietly).subscribeOn(Schedulers.boundedElastic()))
            .then();
    }

    private void commitQuietly() {
        try {
            commit();
        } catch (IOException e) {
            // surfaces as a failed event: James's event bus retries it and keeps it as a dead letter if it never works
            throw new UncheckedIOException("Could not commit the search index", e);
        }
    }
}
