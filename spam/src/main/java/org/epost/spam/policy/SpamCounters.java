package org.epost.spam.policy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.metrics.MetricSink;

/**
 * What the spam defences did since the peer started: messages junked and junk-learning changes of block lists. Read
 * by {@code /epost/status}; each event is also counted in the {@link MetricSink} (James's metrics on a peer) under
 * {@value #JUNKED}, {@value #LEARNED_BLOCKS}, {@value #LEARNED_UNBLOCKS} and {@value #DISCARDED}.
 */
public final class SpamCounters {
    public static final String JUNKED = "epost.spam.junked";
    public static final String LEARNED_BLOCKS = "epost.spam.learned.blocks";
    public static final String LEARNED_UNBLOCKS = "epost.spam.learned.unblocks";
    public static final String DISCARDED = "epost.spam.discarded";

    /** The JSON-friendly view of the counters. */
    public record Snapshot(long junked, long learnedBlocks, long learnedUnblocks, long discarded) {
    }

    private final MetricSink metrics;
    private final AtomicLong junked = new AtomicLong();
    private final AtomicLong learnedBlocks = new AtomicLong();
    private final AtomicLong learnedUnblocks = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    public SpamCounters(MetricSink metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public void junked() {
        junked.incrementAndGet();
        metrics.count(JUNKED, 1);
    }

    /** A message refused because its domain discards mail from senders on the organization's list. */
    public void discarded() {
        discarded.incrementAndGet();
        metrics.count(DISCARDED, 1);
    }

    public long discardedCount() {
        return discarded.get();
    }

    public void learnedBlock() {
        learnedBlocks.incrementAndGet();
        metrics.count(LEARNED_BLOCKS, 1);
    }

    public void learnedUnblock() {
        learnedUnblocks.incrementAndGet();
        metrics.count(LEARNED_UNBLOCKS, 1);
    }

    public long junkedCount() {
        return junked.get();
    }

    public long learnedBlockCount() {
        return learnedBlocks.get();
    }

    public long learnedUnblockCount() {
        return learnedUnblocks.get();
    }

    public Snapshot snapshot() {
        return new Snapshot(junked.get(), learnedBlocks.get(), learnedUnblocks.get(), discarded.get());
    }
}
