package org.epost.peer.mailbox;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.events.Event;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.events.MailboxEvents;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.lucene.search.LuceneMessageSearchIndex;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.lucene.store.Directory;
import org.epost.peer.config.EpostConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.util.concurrent.Striped;

import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James's Lucene index, committed at most once per {@code search.commit-interval} and at a clean shutdown instead of
 * after every mailbox event (a commit is an fsync and a segment flush, and the one-message segments it left were
 * merged again and again). Searches read the writer itself (James opens its readers on it), so they see what was
 * indexed at once. What a crash loses since the last commit is not lost to SEARCH: at start {@link SearchIndexCatchUp}
 * compares every folder of the users homed here with the index and indexes the difference, in the background; a
 * search of a folder it has not reached yet catches that folder up first. Until every folder is caught up, events and
 * a folder's catch-up take the folder's lock, so a catch-up never reads the index between an event's change and the
 * folder's. A large message is indexed as far as its first {@link IndexedPrefix#MAX_INDEXED_BYTES} only, so indexing
 * it holds a bounded part of it in the heap.
 */
public class CommittingLuceneSearchIndex extends LuceneMessageSearchIndex implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(CommittingLuceneSearchIndex.class);

    private final Striped<Lock> folderLocks = Striped.lock(64);
    private final AtomicBoolean changed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService committer;
    private final SearchIndexCatchUp catchUp;
    private final Set<MailboxId> caughtUpFolders = ConcurrentHashMap.newKeySet();
    private volatile boolean allCaughtUp;

    @Inject
    public CommittingLuceneSearchIndex(MailboxSessionMapperFactory factory, MailboxId.Factory mailboxIdFactory,
                                       Directory directory, MessageId.Factory messageIdFactory,
                                       SessionProvider sessionProvider, EpostConfiguration configuration)
            throws IOException {
        this(factory, mailboxIdFactory, directory, messageIdFactory, sessionProvider,
            configuration.search().commitInterval());
    }

    public CommittingLuceneSearchIndex(MailboxSessionMapperFactory factory, MailboxId.Factory mailboxIdFactory,
                                       Directory directory, MessageId.Factory messageIdFactory,
                                       SessionProvider sessionProvider, Duration commitInterval) throws IOException {
        super(factory, mailboxIdFactory, directory, messageIdFactory, sessionProvider);
        this.catchUp = new SearchIndexCatchUp(this, factory, sessionProvider);
        this.committer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("epost-search-commit",
            true));
        long millis = Math.max(1, commitInterval.toMillis());
        committer.scheduleWithFixedDelay(this::commitIfChanged, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Indexes at most the first {@link IndexedPrefix#MAX_INDEXED_BYTES} of a message's content. Until every folder is
     * caught up, what the index holds of the message's UID goes first: a folder's catch-up may have indexed it just
     * before its event came.
     */
    @Override
    public Mono<Void> add(MailboxSession session, Mailbox mailbox, MailboxMessage message) {
        Mono<Void> add = super.add(session, mailbox, IndexedPrefix.of(message));
        if (allCaughtUp) {
            return add;
        }
        return Mono.<Void>fromRunnable(() -> deleteQuietly(mailbox.getMailboxId(), MessageRange.one(message.getUid())))
            .then(add);
    }

    /**
     * While folders may still be caught up, an event of a folder is applied holding its lock (on a thread that may
     * block); after, as James applies it, marking the index changed for the committer.
     */
    @Override
    public Mono<Void> reactiveEvent(Event event) {
        Mono<Void> marked = Mono.fromRunnable(() -> changed.set(true));
        if (allCaughtUp || !(event instanceof MailboxEvents.MailboxEvent mailboxEvent)) {
            return super.reactiveEvent(event).then(marked);
        }
        MailboxId folder = mailboxEvent.getMailboxId();
        return Mono.<Void>fromRunnable(() -> exclusively(folder, () -> super.reactiveEvent(event).block()))
            .subscribeOn(Schedulers.boundedElastic())
            .then(marked);
    }

    @Override
    public Flux<MessageUid> doSearch(MailboxSession session, Mailbox mailbox, SearchQuery query)
            throws MailboxException {
        if (session == null || isFolderCaughtUp(mailbox.getMailboxId())) {
            // without a session James's search refuses at once, as it must, before any catch-up
            return super.doSearch(session, mailbox, query);
        }
        return afterCatchUp(() -> catchUp.catchUp(mailbox), () -> super.doSearch(session, mailbox, query));
    }

    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery query,
                                  long limit) throws MailboxException {
        if (session == null || mailboxIds.stream().allMatch(this::isFolderCaughtUp)) {
            return super.search(session, mailboxIds, query, limit);
        }
        return afterCatchUp(() -> {
            for (MailboxId id : mailboxIds) {
                if (!isFolderCaughtUp(id)) {
                    catchUp.catchUp(session, id);
                }
            }
        }, () -> super.search(session, mailboxIds, query, limit));
    }

    /** The search once the catch-up is done, on a thread that may block (it reads folders and the index). */
    private static <T> Flux<T> afterCatchUp(FolderWork catchingUp, FolderSearch<T> search) {
        return Mono.fromCallable(() -> {
                catchingUp.run();
                return true;
            })
            .subscribeOn(Schedulers.boundedElastic())
            .thenMany(Flux.defer(() -> {
                try {
                    return search.run();
                } catch (MailboxException e) {
                    return Flux.error(e);
                }
            }));
    }

    private interface FolderWork {
        void run() throws MailboxException;
    }

    private interface FolderSearch<T> {
        Flux<T> run() throws MailboxException;
    }

    /**
     * Catches up every folder of {@code owners} that no search has caught up yet (a peer's start runs it in the
     * background); answers how many messages the index lacked, held stale flags for or held after their expunge.
     */
    public long catchUpAll(Collection<org.apache.james.core.Username> owners) {
        long fixed = catchUp.catchUpAll(owners);
        if (fixed >= 0) {
            allCaughtUp = true;
        }
        return fixed;
    }

    /** Whether every folder of the users homed here has been compared with the index since the start. */
    public boolean caughtUp() {
        return allCaughtUp;
    }

    /** The search of James's index as it stands, without catching the folder up first (the catch-up reads with it). */
    Flux<MessageUid> searchAsIndexed(MailboxSession session, Mailbox mailbox, SearchQuery query)
            throws MailboxException {
        return super.doSearch(session, mailbox, query);
    }

    /** Marks a folder caught up since the start: its searches no longer compare it with the index. */
    void folderCaughtUp(MailboxId id) {
        caughtUpFolders.add(id);
    }

    boolean isFolderCaughtUp(MailboxId id) {
        return allCaughtUp || caughtUpFolders.contains(id);
    }

    /** Runs {@code work} holding the folder's lock, which every event of the folder takes too. */
    <T> T exclusively(MailboxId folder, Supplier<T> work) {
        Lock lock = folderLocks.get(folder);
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void markChanged() {
        changed.set(true);
    }

    private void deleteQuietly(MailboxId mailboxId, MessageRange range) {
        try {
            delete(mailboxId, range);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot delete " + range + " of " + mailboxId + " from the search index",
                e);
        }
    }

    /** The committer's round: a commit only when something was indexed since the last one. */
    void commitIfChanged() {
        if (!changed.getAndSet(false)) {
            return;
        }
        try {
            commit();
        } catch (IOException | RuntimeException e) {
            // the next round tries again; a crash meanwhile is made good by the next start's catch-up
            changed.set(true);
            LOG.warn("Could not commit the search index ({}); trying again in the next round", e.toString());
        }
    }

    /** Stops the committer and closes the writer, which commits what is left (James's lifecycle calls it at stop). */
    @PreDestroy
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        committer.shutdown();
        try {
            committer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
