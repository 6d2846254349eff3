package org.epost.post.lease;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.epost.overlay.time.Scheduler;
import org.epost.post.blocks.BlockService;
import org.epost.post.store.PartStore;

/**
 * The home peer's periodic lease refresh (DESIGN.md section 4): every {@link LeaseConfig#refreshIntervalMillis()} it
 * asks its {@link ReferenceSource} what its users still reference and extends the lease of each to now +
 * {@link LeaseConfig#leaseMillis()}: a block through the {@link BlockService}, a part through the {@link PartStore}
 * (its top block and every chunk). Whatever is no longer referenced is simply not refreshed: its holders drop it once
 * its lease ran out (plus their clock-skew tolerance), during their maintenance. That is the whole garbage collector:
 * no deletes, no reference counts shared between peers, so a block two users reference (convergent dedup) lives as
 * long as either's peer refreshes it.
 *
 * <p>References whose refresh failed (no holder answered, a chunk is missing, a timeout) are retried after
 * {@link LeaseConfig#retryDelayMillis()}, again and again, until they succeed, are no longer referenced, or the next
 * full round takes them over. At most {@link LeaseConfig#maxInFlight()} extensions are in flight at once.
 *
 * <p>Driven by a {@link Scheduler} it does not own (a node's event loop, or a simulation's virtual time); it never
 * blocks a thread and never reads the system clock. Safe when futures complete on any thread.
 */
public final class LeaseRefresher implements AutoCloseable {
    private final BlockService blocks;
    private final PartStore parts;
    private final ReferenceSource source;
    private final Scheduler scheduler;
    private final LeaseConfig config;
    private final Consumer<RefreshReport> listener;

    private boolean started;
    private boolean closed;
    private Scheduler.Cancellable nextRound;
    private Scheduler.Cancellable nextRetry;
    private CompletableFuture<RefreshReport> current;
    private Set<LeaseReference> pendingRetry = new LinkedHashSet<>();
    private RefreshReport lastReport;
    private long rounds;
    private long retryRounds;
    private long extensionsSent;
    private long refreshedTotal;
    private long failedTotal;

    /**
     * @param parts    the part store used for {@link LeaseReference.OfPart} references; may be null when the source
     *                 yields blocks only (a part is then reported as failed)
     * @param listener told of every finished round (on the thread that completed its last extension)
     */
    public LeaseRefresher(BlockService blocks, PartStore parts, ReferenceSource source, Scheduler scheduler,
                          LeaseConfig config, Consumer<RefreshReport> listener) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.parts = parts;
        this.source = Objects.requireNonNull(source, "source");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = listener == null ? report -> { } : listener;
    }

    public LeaseRefresher(BlockService blocks, PartStore parts, ReferenceSource source, Scheduler scheduler,
                          LeaseConfig config) {
        this(blocks, parts, source, scheduler, config, null);
    }

    public LeaseConfig config() {
        return config;
    }

    /** Starts the periodic job: a first full round at once, then one every refresh interval. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (started) {
            return;
        }
        started = true;
        nextRound = scheduler.schedule(0, this::periodicRound);
    }

    /** Stops the job; extensions already in flight finish on their own. */
    @Override
    public synchronized void close() {
        closed = true;
        if (nextRound != null) {
            nextRound.cancel();
        }
        if (nextRetry != null) {
            nextRetry.cancel();
        }
    }

    /** Runs a full round now (or answers the round already running); completes with its report. */
    public CompletableFuture<RefreshReport> refreshNow() {
        return startRound(false);
    }

    /**
     * Runs a full round that reads the references as they are now or later: at once, or as soon as the round running
     * ends (that one may have read them before a source was filled, e.g. the mailboxes' first collection after a
     * start, whose references would otherwise wait a whole refresh interval).
     */
    public CompletableFuture<RefreshReport> refreshFromNow() {
        CompletableFuture<RefreshReport> running;
        synchronized (this) {
            running = current;
        }
        if (running == null || running.isDone()) {
            return startRound(false);
        }
        return running.handle((report, error) -> null).thenCompose(ignored -> refreshFromNow());
    }

    public synchronized RefreshReport lastReport() {
        return lastReport;
    }

    /** Full rounds started so far. */
    public synchronized long rounds() {
        return rounds;
    }

    /** Retry rounds started so far. */
    public synchronized long retryRounds() {
        return retryRounds;
    }

    /** Lease extensions asked for so far (one per block reference or part, whatever the outcome). */
    public synchronized long extensionsSent() {
        return extensionsSent;
    }

    public synchronized long refreshedTotal() {
        return refreshedTotal;
    }

    public synchronized long failedTotal() {
        return failedTotal;
    }

    /** References whose last refresh failed and that wait for a retry. */
    public synchronized Set<LeaseReference> pendingRetry() {
        return new LinkedHashSet<>(pendingRetry);
    }

    // ================================================================ rounds

    private void periodicRound() {
        synchronized (this) {
            if (closed) {
                return;
            }
            nextRound = scheduler.schedule(config.refreshIntervalMillis(), this::periodicRound);
        }
        startRound(false);
    }

    private void retryRound() {
        synchronized (this) {
            nextRetry = null;
            if (closed) {
                return;
            }
        }
        startRound(true);
    }

    private CompletableFuture<RefreshReport> startRound(boolean retry) {
        List<LeaseReference> targets;
        CompletableFuture<RefreshReport> result = new CompletableFuture<>();
        long startedAt;
        long newExpiry;
        synchronized (this) {
            if (current != null && !current.isDone()) {
                // a round is running: a full round covers everything, and schedules its own retry if needed
                return current;
            }
            Set<LeaseReference> referenced;
            try {
                referenced = source.references();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (retry) {
                Set<LeaseReference> still = new LinkedHashSet<>(pendingRetry);
                still.retainAll(referenced);
                targets = new ArrayList<>(still);
                retryRounds++;
            } else {
                targets = new ArrayList<>(referenced);
                rounds++;
                if (nextRetry != null) {
                    nextRetry.cancel();
                    nextRetry = null;
                }
            }
            pendingRetry = new LinkedHashSet<>();
            startedAt = scheduler.now();
            newExpiry = startedAt + config.leaseMillis();
            current = result;
        }
        Map<LeaseReference, String> failed = new LinkedHashMap<>();
        List<LeaseReference> refreshed = new ArrayList<>();
        new Window(targets, newExpiry, refreshed, failed, () -> {
            RefreshReport report;
            synchronized (this) {
                report = new RefreshReport(retry, startedAt, scheduler.now(), newExpiry, refreshed, failed);
                lastReport = report;
                refreshedTotal += refreshed.size();
                failedTotal += failed.size();
                pendingRetry.addAll(failed.keySet());
                if (!pendingRetry.isEmpty() && !closed && nextRetry == null) {
                    nextRetry = scheduler.schedule(config.retryDelayMillis(), this::retryRound);
                }
            }
            listener.accept(report);
            result.complete(report);
        }).pump();
        return result;
    }

    private CompletableFuture<Void> extend(LeaseReference reference, long newExpiry, List<LeaseReference> refreshed,
                                           Map<LeaseReference, String> failed) {
        synchronized (this) {
            extensionsSent++;
        }
        CompletableFuture<Integer> holders;
        try {
            if (reference instanceof LeaseReference.OfBlock block) {
                holders = blocks.extendLease(block.key(), newExpiry);
            } else if (reference instanceof LeaseReference.OfPart part) {
                holders = parts == null
                    ? CompletableFuture.failedFuture(new IllegalStateException("no part store configured"))
                    : parts.extendLease(part.part(), newExpiry);
            } else {
                holders = CompletableFuture.failedFuture(new IllegalArgumentException("unknown reference"));
            }
        } catch (RuntimeException e) {
            holders = CompletableFuture.failedFuture(e);
        }
        return holders.handle((count, error) -> {
            synchronized (failed) {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                    failed.put(reference, String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause));
                } else if (count == null || count <= 0) {
                    failed.put(reference, "no holder answered holding it");
                } else {
                    refreshed.add(reference);
                }
            }
            return null;
        });
    }

    /** Runs the extensions of one round, at most maxInFlight at once; never blocks, keeps the stack flat. */
    private final class Window {
        private final List<LeaseReference> targets;
        private final long newExpiry;
        private final List<LeaseReference> refreshed;
        private final Map<LeaseReference, String> failed;
        private final Runnable whenDone;
        private int next;
        private int inFlight;
        private int done;
        private boolean pumping;
        private boolean again;

        Window(List<LeaseReference> targets, long newExpiry, List<LeaseReference> refreshed,
               Map<LeaseReference, String> failed, Runnable whenDone) {
            this.targets = targets;
            this.newExpiry = newExpiry;
            this.refreshed = refreshed;
            this.failed = failed;
            this.whenDone = whenDone;
        }

        void pump() {
            if (targets.isEmpty()) {
                whenDone.run();
                return;
            }
            synchronized (this) {
                if (pumping) {
                    again = true;
                    return;
                }
                pumping = true;
            }
            while (true) {
                LeaseReference target;
                synchronized (this) {
                    if (next >= targets.size() || inFlight >= config.maxInFlight()) {
                        if (!again) {
                            pumping = false;
                            return;
                        }
                        again = false;
                        continue;
                    }
                    target = targets.get(next++);
                    inFlight++;
                }
                extend(target, newExpiry, refreshed, failed).whenComplete((ignored, error) -> finished());
            }
        }

        private void finished() {
            boolean all;
            synchronized (this) {
                inFlight--;
                done++;
                all = done == targets.size();
            }
            if (all) {
                whenDone.run();
            } else {
                pump();
            }
        }
    }
}
