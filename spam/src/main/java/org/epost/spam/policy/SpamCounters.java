package org.epost.spam.policy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.metrics.MetricSink;

/**
 * What the spam defences did since the peer started: messages junked and discarded, junk-learning changes of block
 * lists, and first-contact puzzles checked, failed (of those checked) and solved (for this peer's senders). Read by
 * {@code /epost/status}; each event is also counted in the {@link MetricSink} (James's metrics on a peer) under
 * {@value #JUNKED}, {@value #DISCARDED}, {@value #LEARNED_BLOCKS}, {@value #LEARNED_UNBLOCKS}, {@value #PUZZLES_CHECKED},
 * {@value #PUZZLES_FAILED} and {@value #PUZZLES_SOLVED}.
 */
public final class SpamCounters {
    public static final String JUNKED = "epost.spam.junked";
    public static final String LEARNED_BLOCKS = "epost.spam.learned.blocks";
    public static final String LEARNED_UNBLOCKS = "epost.spam.learned.unblocks";
    public static final String DISCARDED = "epost.spam.discarded";
    public static final String PUZZLES_CHECKED = "epost.spam.puzzles.checked";
    public static final String PUZZLES_FAILED = "epost.spam.puzzles.failed";
    public static final String PUZZLES_SOLVED = "epost.spam.puzzles.solved";

    /** The JSON-friendly view of the counters. */
    public record Snapshot(long junked, long learnedBlocks, long learnedUnblocks, long discarded, long puzzlesChecked,
                           long puzzlesFailed, long puzzlesSolved) {
    }

    private final MetricSink metrics;
    private final AtomicLong junked = new AtomicLong();
    private final AtomicLong learnedBlocks = new AtomicLong();
    private final AtomicLong learnedUnblocks = new AtomicLong();
    private final AtomicLong puzzlesChecked = new AtomicLong();
    private final AtomicLong puzzlesFailed = new AtomicLong();
    private final AtomicLong puzzlesSolved = new AtomicLong();
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

    /** A notification that needed a puzzle was checked; {@code failed}: it had none, or not a valid one. */
    public void puzzleChecked(boolean failed) {
        puzzlesChecked.incrementAndGet();
        metrics.count(PUZZLES_CHECKED, 1);
        if (failed) {
            puzzlesFailed.incrementAndGet();
            metrics.count(PUZZLES_FAILED, 1);
        }
    }

    public void puzzleSolved() {
        puzzlesSolved.incrementAndGet();
        metrics.count(PUZZLES_SOLVED, 1);
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
        return new Snapshot(junked.get(), learnedBlocks.get(), learnedUnblocks.get(), discarded.get(),
            puzzlesChecked.get(), puzzlesFailed.get(), puzzlesSolved.get());
    }
}
