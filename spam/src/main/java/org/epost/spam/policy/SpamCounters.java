package org.epost.spam.policy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.metrics.MetricSink;

/**
 * What the spam defences did since the peer started: messages junked and junk-learning changes of block lists. Read
 * by {@code /epost/status}; each event is also counted in the {@link MetricSink} (James's metrics on a peer) under
 * {@value #JUNKED}, {@value #LEARNED_BLOCKS} and {@value #LEARNED_UNBLOCKS}.
 */
public final class SpamCounters {
    public static final String JUNKED = "epost.spam.junked";
    public static final String LEARNED_BLOCKS = "epost.spam.learned.blocks";
    public static final String LEARNED_UNBLOCKS = "epost.spam.learned.unblocks";

    /** The JSON-friendly view of the counters. */
    public record Snapshot(long junked, long learnedBlocks, long learnedUnblocks) {
    }

    private final MetricSink metrics;
    private final AtomicLong junked = new AtomicLong();
    private final AtomicLong learnedBlocks = new AtomicLong();
    private final AtomicLong learnedUnblocks = new AtomicLong();

    public SpamCounters(MetricSink metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public void junked() {
        junked.incrementAndGet();
        metrics.count(JUNKED, 1);
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
        return new Snapshot(junked.get(), learnedBlocks.get(), learnedUnblocks.get());
    }
}
