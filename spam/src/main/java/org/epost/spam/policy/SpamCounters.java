package org.epost.spam.policy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the spam defences did since the peer started: messages junked, junk-learning changes of block lists. Read by
 * {@code /epost/status} and published as James metrics.
 */
public final class SpamCounters {
    private final AtomicLong junked = new AtomicLong();
    private final AtomicLong learnedBlocks = new AtomicLong();
    private final AtomicLong learnedUnblocks = new AtomicLong();

    public void junked() {
        junked.incrementAndGet();
    }

    public void learnedBlock() {
        learnedBlocks.incrementAndGet();
    }

    public void learnedUnblock() {
        learnedUnblocks.incrementAndGet();
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
}
