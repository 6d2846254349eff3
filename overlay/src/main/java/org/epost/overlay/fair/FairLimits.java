package org.epost.overlay.fair;

/**
 * The limits of one kind of work shared out per sending node (issue #15), as a peer's configuration sets them: how
 * many jobs run at once, how many bytes one sender is let through per turn, how many bytes may wait from one sender
 * and from all together, and what one sender may ask for per minute ({@link SenderBudget}).
 *
 * @param inFlight            jobs started at once ({@link FairGate})
 * @param turnBytes           bytes one sender is let through per round robin turn ({@link FairQueue}'s quantum)
 * @param queueBytesPerSender bytes that may wait from one sender; beyond, its work is refused
 * @param queueBytesTotal     bytes that may wait from all senders together
 * @param bytesPerMinute      bytes one sender may have done per minute
 * @param itemsPerMinute      jobs (blocks, delegations) one sender may have done per minute
 */
public record FairLimits(int inFlight, int turnBytes, long queueBytesPerSender, long queueBytesTotal,
                         long bytesPerMinute, long itemsPerMinute) {
    /** Senders whose budget is remembered at once; beyond, the longest refilled are forgotten. */
    static final int TRACKED_SENDERS = 10_000;

    public FairLimits {
        if (inFlight < 1 || turnBytes < 1 || queueBytesPerSender < 1 || queueBytesTotal < queueBytesPerSender
            || bytesPerMinute < 1 || itemsPerMinute < 1) {
            throw new IllegalArgumentException("fairness limits must be positive, with the total queue at least one"
                + " sender's, not " + inFlight + " at once, " + turnBytes + " per turn, " + queueBytesPerSender
                + " waiting per sender, " + queueBytesTotal + " in all, " + bytesPerMinute + " bytes and " + itemsPerMinute
                + " items per minute");
        }
    }

    /**
     * Blocks a node stores because another asked: verified and synced 4 at a time, 1 MiB per turn, 16 MiB waiting per
     * sender and 64 MiB in all; 512 MiB and 30,000 blocks per sender and minute, more than a busy honest peer inserts
     * through one root.
     */
    public static FairLimits pastStoreDefaults() {
        return new FairLimits(4, 1 << 20, 16L << 20, 64L << 20, 512L << 20, 30_000);
    }

    /**
     * Notification work a POST peer does because another asked: boxes opened 2 at a time, 1 MiB per turn, 16 MiB
     * waiting per delivering node and 64 MiB in all; a delegate keeps 32 MiB and 3,000 delegations per node and minute.
     */
    public static FairLimits postDefaults() {
        return new FairLimits(2, 1 << 20, 16L << 20, 64L << 20, 32L << 20, 3_000);
    }

    /** A fresh gate over a fresh queue with these shares. */
    public FairGate newGate() {
        return new FairGate(newQueue(), inFlight);
    }

    /** A fresh round robin queue with these shares. */
    public FairQueue<FairGate.Job> newQueue() {
        return new FairQueue<>(turnBytes, queueBytesPerSender, queueBytesTotal);
    }

    /** A fresh per-minute budget per sender with these rates. */
    public SenderBudget newBudget() {
        return new SenderBudget(bytesPerMinute, itemsPerMinute, TRACKED_SENDERS);
    }
}
