package org.epost.mailbox.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.james.mailbox.exception.MailboxException;
import org.epost.post.log.BrokenViewException;
import org.epost.post.log.LogEntry;
import org.epost.post.log.LogException;
import org.epost.post.log.LogReducer;
import org.epost.post.log.LogWriter;
import org.epost.post.log.LogWriterConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One single-writer log held open by this process: its last durable state published to readers, and the lock that
 * lets one update at a time plan and append.
 *
 * <p>A {@link LogWriter} folds records into its state while an append is in flight, before the blocks are durable;
 * readers must not see that (a message must not be visible and then vanish because its append failed), nor wait for
 * the append (two PAST inserts on k replicas: a delivery's quota check and an IMAP client's SELECT would queue behind
 * every append in flight). So the reducer's states are immutable values (the folder and account reducers derive
 * each from the last, sharing what did not change), an update holds the writing lock from planning (reading the
 * state, choosing UIDs) through the durable append, and only then publishes the writer's new state in a volatile
 * field; a read takes that field and no lock, so it sees the state of the last acknowledged append, never a pending
 * one. The lock is per log, never global, so one folder's block I/O never holds up another folder. A read waits only
 * while the log is being opened (nothing is published yet).
 *
 * <p>The writer is opened on first use (an open stores a head: one insert) and kept open. An append that fails
 * stops the writer; its state may hold the failed records, so it is dropped and the next use reopens the log from
 * the DHT.
 */
public final class LoggedState<S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoggedState.class);

    /** Reads the state: an immutable value, the last durable one when the read began. */
    public interface Reader<S, T> {
        T read(S state) throws MailboxException;
    }

    /** Plans an update from the current state: the records to append and the result once they are durable. */
    public interface Planner<S, T> {
        Plan<T> plan(S state) throws MailboxException;
    }

    /** Plans one update for several requests made concurrently; the results in the order of the requests. */
    public interface BatchPlanner<S, R, T> {
        Plan<List<T>> plan(S state, List<R> requests) throws MailboxException;
    }

    public record Plan<T>(List<LogEntry> records, T result) {
        public static <T> Plan<T> of(List<LogEntry> records, T result) {
            return new Plan<>(List.copyOf(records), result);
        }

        public static <T> Plan<T> nothing(T result) {
            return new Plan<>(List.of(), result);
        }
    }

    private final UserStorage storage;
    private final String label;
    private final LogReducer<S> reducer;
    /** Held by whoever plans and appends, opens, drops or closes the writer. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Requests of {@link #updateGrouped} waiting for the writing lock, by group. */
    private final Map<Object, List<Pending<?, ?>>> waiting = new HashMap<>();
    /** The writer's state after its last durable append (or its open); null while no writer is open. */
    private volatile S published;
    private volatile LogWriter<S> writer;
    /** Whether the next open may take the log over: at first open if configured, and after dropping our own writer. */
    private boolean takeOverNext;
    private boolean closed;

    /** {@code reducer} must never change a state it is given: readers hold the published one meanwhile. */
    public LoggedState(UserStorage storage, String label, LogReducer<S> reducer) {
        this.storage = storage;
        this.label = label;
        this.reducer = reducer;
        this.takeOverNext = storage.takeOverWriters();
    }

    public String label() {
        return label;
    }

    public <T> T read(Reader<S, T> reader) throws MailboxException {
        try {
            return readOnce(reader);
        } catch (BrokenViewException e) {
            forgetBrokenState(e);
            return readOnce(reader);
        }
    }

    private <T> T readOnce(Reader<S, T> reader) throws MailboxException {
        S state = published;
        if (state == null) { // not open (first use, after a failed append, a broken view): open it
            writing.lock();
            try {
                writer();
                state = published;
            } finally {
                writing.unlock();
            }
        }
        return reader.read(state);
    }

    /**
     * The state was read from a cached view one of whose segments did not open when it was reached (the view file is
     * deleted by then): the writer holding that state is forgotten, so the next use opens the log again from its
     * snapshot and records. Our lease still holds, so that open takes it over at once.
     */
    private void forgetBrokenState(BrokenViewException e) {
        writing.lock();
        try {
            LOG.warn("The state of log '{}' read a broken cached view ({}); reopening it from the DHT", label,
                e.getMessage());
            forget();
            takeOverNext = true;
        } finally {
            writing.unlock();
        }
    }

    /**
     * Plans and appends under the writing lock; answers the plan's result once its records are durable, and only
     * then shows the new state to readers.
     */
    public <T> T update(Planner<S, T> planner) throws MailboxException {
        writing.lock();
        try {
            LogWriter<S> current = writer();
            Plan<T> plan;
            try {
                plan = planner.plan(current.state());
            } catch (BrokenViewException e) {
                forgetBrokenState(e);
                current = writer();
                plan = planner.plan(current.state());
            }
            if (!plan.records().isEmpty()) {
                try {
                    current.append(plan.records());
                    published = current.state();
                } catch (LogWriterConflictException e) {
                    // another writer holds the log now: never fight it back automatically
                    drop(false);
                    throw new MailboxException("log '" + label + "' was taken over by another writer: "
                        + e.getMessage(), e);
                } catch (LogException | RuntimeException e) {
                    // our writer is dead (its state may hold the failed records): reopen from the DHT next time
                    drop(true);
                    throw new MailboxException("log '" + label + "' refused an append of " + plan.records().size()
                        + " records: " + e.getMessage(), e);
                }
            }
            return plan.result();
        } finally {
            writing.unlock();
        }
    }

    /**
     * A group commit: {@code request} is queued under {@code group}, and whichever caller takes the writing lock next
     * plans every request queued in that group with {@code planner} and appends them in one log append (one cluster
     * and one head on the replicas for several messages delivered at once). Each caller returns its own result once
     * the append holding its request is durable, or the failure of that append (which fails every request in it).
     * Requests of one group must be planned alike: any caller's planner may plan another's request.
     */
    public <R, T> T updateGrouped(Object group, R request, BatchPlanner<S, R, T> planner) throws MailboxException {
        Pending<R, T> mine = new Pending<>(request);
        synchronized (waiting) {
            waiting.computeIfAbsent(group, any -> new ArrayList<>()).add(mine);
        }
        List<Pending<R, T>> batch = new ArrayList<>();
        try {
            List<T> results = update(state -> {
                synchronized (waiting) {
                    @SuppressWarnings("unchecked")
                    List<Pending<R, T>> queued = (List<Pending<R, T>>) (List<?>) waiting.remove(group);
                    if (queued != null) {
                        batch.addAll(queued);
                    }
                }
                if (batch.isEmpty()) { // ours was in a batch another caller took
                    return Plan.nothing(List.of());
                }
                Plan<List<T>> plan = planner.plan(state, batch.stream().map(Pending::request).toList());
                if (plan.result().size() != batch.size()) {
                    throw new IllegalStateException(plan.result().size() + " results for " + batch.size()
                        + " requests");
                }
                return plan;
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (MailboxException | RuntimeException e) {
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            synchronized (waiting) { // failed before planning (the log would not open): ours is still queued
                List<Pending<?, ?>> queued = waiting.get(group);
                if (queued != null && queued.remove(mine)) {
                    mine.result().completeExceptionally(e);
                    if (queued.isEmpty()) {
                        waiting.remove(group);
                    }
                }
            }
        }
        try {
            return mine.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MailboxException failure) {
                throw failure;
            }
            throw new MailboxException("grouped update of log '" + label + "' failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxException("interrupted while waiting for an append to log '" + label + "'", e);
        }
    }

    /** Grouped requests waiting for the writing lock (tests). */
    int queued() {
        synchronized (waiting) {
            return waiting.values().stream().mapToInt(List::size).sum();
        }
    }

    private record Pending<R, T>(R request, CompletableFuture<T> result) {
        Pending(R request) {
            this(request, new CompletableFuture<>());
        }
    }

    /** Blocks stored by the current writer since it opened (heads, clusters, snapshots); 0 when not open. */
    public long blocksStored() {
        LogWriter<S> current = writer;
        return current == null ? 0 : current.blocksStored();
    }

    /** Releases the writer's lease and caches the view; later uses fail. */
    @Override
    public void close() {
        writing.lock();
        try {
            closed = true;
            if (writer != null) {
                try {
                    writer.close();
                } catch (LogException e) {
                    LOG.warn("Closing log '{}' failed: {}", label, e.getMessage());
                }
                forget();
            }
        } finally {
            writing.unlock();
        }
    }

    /** Under the writing lock: the open writer, opened (and its state published) if there is none. */
    private LogWriter<S> writer() throws MailboxException {
        if (closed) {
            throw new MailboxException("log '" + label + "' is closed");
        }
        if (writer == null) {
            try {
                writer = takeOverNext
                    ? LogWriter.takeOver(storage.blocks(), storage.views(), storage.logConfig(),
                        storage.keys().signing(), storage.keys().encryption(), label, reducer)
                    : LogWriter.open(storage.blocks(), storage.views(), storage.logConfig(),
                        storage.keys().signing(), storage.keys().encryption(), label, reducer);
                takeOverNext = false;
                published = writer.state();
            } catch (LogWriterConflictException e) {
                throw new MailboxException("log '" + label + "' is held by another writer: " + e.getMessage(), e);
            } catch (LogException | RuntimeException e) {
                LOG.error("Log '{}' cannot be opened: {}", label, e.getMessage());
                throw new MailboxException("log '" + label + "' cannot be opened: " + e.getMessage(), e);
            }
        }
        return writer;
    }

    /**
     * Forgets the writer without closing it (a close would store a head and cache a state that may hold the failed
     * records). {@code ours}: the log's lease is still ours, so the next open takes it over at once.
     */
    private void drop(boolean ours) {
        LOG.warn("Dropping the writer of log '{}' after a failed append; the next use reopens it from the DHT", label);
        forget();
        takeOverNext = ours;
    }

    /** Under the writing lock: no writer, nothing published (readers wait for the next open). */
    private void forget() {
        writer = null;
        published = null;
    }
}
