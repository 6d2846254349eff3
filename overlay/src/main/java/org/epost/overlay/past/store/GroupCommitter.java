package org.epost.overlay.past.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for a backend whose writes reach the operating system at once but become durable only when synced.
 * Writes are numbered as they are made ({@link #recordWrite()}, called after the backend accepted the write); one
 * committer thread syncs whenever writes are pending, and a sync covers every write numbered before it started. Who
 * needs write n durable waits for {@link #whenDurable(long) whenDurable(n)}: n concurrent writers pay for one fsync
 * instead of n, and nobody hears "durable" before the sync covering its write has returned.
 *
 * <p>A failed sync is sticky: the backend's disk can no longer be trusted, so every pending and later wait fails
 * with a {@link BlockStoreException} (the node then stops acknowledging anything, as if it had crashed).
 */
public final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** Makes every write the backend accepted so far durable (an fsync of its log); throws if it cannot. */
    @FunctionalInterface
    public interface Sync {
        void syncWrites();
    }

    private final String name;
    private final Sync sync;
    private final Thread thread;
    private final Object lock = new Object();
    /** Waiters by the write number they wait for; guarded by {@link #lock}. */
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private long written;
    private long synced;
    private long syncs;
    private BlockStoreException failure;
    private boolean closing;

    public GroupCommitter(String name, Sync sync) {
        this.name = Objects.requireNonNull(name, "name");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.thread = new Thread(this::commitLoop, "group-commit-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Numbers a write the backend has just accepted (not yet synced) and wakes the committer. */
    public long recordWrite() {
        synchronized (lock) {
            written++;
            lock.notifyAll();
            return written;
        }
    }

    /** The number of the last write recorded: waiting for it waits for everything written so far. */
    public long lastWrite() {
        synchronized (lock) {
            return written;
        }
    }

    /** Completes (on the committer thread, or at once) when write {@code number} and every earlier one is durable. */
    public CompletableFuture<Void> whenDurable(long number) {
        synchronized (lock) {
            if (number <= synced) {
                return CompletableFuture.completedFuture(null);
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (closing) {
                return CompletableFuture.failedFuture(new BlockStoreException("The store " + name + " is closing"));
            }
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            waiters.computeIfAbsent(number, n -> new ArrayList<>()).add(waiter);
            return waiter;
        }
    }

    /** Syncs done so far (each covering one or more writes). */
    public long syncs() {
        synchronized (lock) {
            return syncs;
        }
    }

    /** Writes known durable so far. */
    public long synced() {
        synchronized (lock) {
            return synced;
        }
    }

    /** Syncs what is still pending, completes its waiters, and stops the committer thread. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<CompletableFuture<Void>> stranded;
        BlockStoreException why;
        synchronized (lock) {
            stranded = drain(Long.MAX_VALUE);
            why = failure != null ? failure : new BlockStoreException("The store " + name + " was closed");
        }
        stranded.forEach(waiter -> waiter.completeExceptionally(why));
    }

    private void commitLoop() {
        while (true) {
            long target;
            synchronized (lock) {
                while (written == synced && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // Only close() stops the committer: a write waiting for durability must not be stranded.
                    }
                }
                if (written == synced) {
                    return;
                }
                target = written;
            }
            RuntimeException error = null;
            try {
                sync.syncWrites();
            } catch (RuntimeException e) {
                error = e;
            }
            List<CompletableFuture<Void>> done;
            BlockStoreException failed = null;
            synchronized (lock) {
                if (error == null) {
                    synced = target;
                    syncs++;
                    done = drain(target);
                } else {
                    failed = error instanceof BlockStoreException blockStore ? blockStore
                            : new BlockStoreException("Cannot sync the store " + name + ": " + error.getMessage(), error);
                    failure = failed;
                    done = drain(Long.MAX_VALUE);
                }
            }
            if (failed == null) {
                done.forEach(waiter -> waiter.complete(null));
            } else {
                LOG.error("Syncing the store {} failed; nothing more will be acknowledged as durable", name, error);
                BlockStoreException cause = failed;
                done.forEach(waiter -> waiter.completeExceptionally(cause));
                return;
            }
        }
    }

    /** Removes and returns the waiters for writes up to {@code number}; the caller holds the lock. */
    private List<CompletableFuture<Void>> drain(long number) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        Map<Long, List<CompletableFuture<Void>>> head = waiters.headMap(number, true);
        head.values().forEach(done::addAll);
        head.clear();
        return done;
    }
}
