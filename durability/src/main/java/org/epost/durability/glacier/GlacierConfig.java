package org.epost.durability.glacier;

import org.epost.durability.params.GlacierParameters;

/**
 * Glacier's tunables on one node.
 *
 * @param code                  the (n, m) new objects are coded with
 * @param requestTimeoutMillis  how long a fragment request waits for its answer
 * @param auditIntervalMillis   the steady-state audit period
 * @param updateDelayMillis     how soon after a leaf-set change an audit runs (the node's range changed)
 * @param repairIntervalMillis  the period of audits while the last one still found something missing
 * @param auditFanout           mirrors asked per audit round (each covers every object of the node's range)
 * @param quotaBytes            fragment bytes this node holds at most; beyond it a put is answered FULL
 * @param maxLeaseMillis        the longest lease granted, so that a hostile lease cannot pin a fragment forever
 * @param maxAuditEntries       entries in one audit answer at most (about 40 bytes each)
 * @param maxQueuedRebuilds     objects waiting to be rebuilt at most (about 100 bytes each); more wait for the
 *                              next audit
 * @param maxConcurrentRebuilds rebuilds in flight at once: each holds up to an object's worth of fragments
 * @param handoffsPerRound      fragments handed to closer nodes per round at most
 * @param aggregation           which immutable blocks the root aggregates before coding, and how
 */
public record GlacierConfig(GlacierParameters code, long requestTimeoutMillis, long auditIntervalMillis,
                            long updateDelayMillis, long repairIntervalMillis, int auditFanout, long quotaBytes,
                            long maxLeaseMillis, int maxAuditEntries, int maxQueuedRebuilds,
                            int maxConcurrentRebuilds, int handoffsPerRound, AggregationPolicy aggregation) {
    public GlacierConfig {
        if (requestTimeoutMillis <= 0 || auditIntervalMillis <= 0 || updateDelayMillis < 0
                || repairIntervalMillis <= 0 || maxLeaseMillis <= 0) {
            throw new IllegalArgumentException("bad Glacier intervals");
        }
        if (auditFanout < 1 || quotaBytes < 0 || maxAuditEntries < 1 || maxQueuedRebuilds < 1
                || maxConcurrentRebuilds < 1 || handoffsPerRound < 0) {
            throw new IllegalArgumentException("bad Glacier bounds");
        }
        java.util.Objects.requireNonNull(aggregation, "aggregation");
    }

    /**
     * 10 s request timeout; audits every 10 minutes, 5 s after a leaf-set change and every 10 s while repairing;
     * 3 mirrors per round; 1 GiB of fragments; 60-day leases at most; 4096 audit entries; 10,000 queued and 8
     * concurrent rebuilds; 256 hand-offs per round; blocks under 64 KiB aggregated ({@link AggregationPolicy}).
     */
    public static GlacierConfig defaults(GlacierParameters code) {
        return new GlacierConfig(code, 10_000, 10 * 60_000, 5_000, 10_000, 3, 1L << 30, 60L * 24 * 3600_000, 4096,
            10_000, 8, 256, AggregationPolicy.DEFAULT);
    }

    public GlacierConfig withAggregation(AggregationPolicy value) {
        return new GlacierConfig(code, requestTimeoutMillis, auditIntervalMillis, updateDelayMillis,
            repairIntervalMillis, auditFanout, quotaBytes, maxLeaseMillis, maxAuditEntries, maxQueuedRebuilds,
            maxConcurrentRebuilds, handoffsPerRound, value);
    }

    public GlacierConfig withQuotaBytes(long value) {
        return new GlacierConfig(code, requestTimeoutMillis, auditIntervalMillis, updateDelayMillis,
            repairIntervalMillis, auditFanout, value, maxLeaseMillis, maxAuditEntries, maxQueuedRebuilds,
            maxConcurrentRebuilds, handoffsPerRound, aggregation);
    }

    public GlacierConfig withMaxAuditEntries(int value) {
        return new GlacierConfig(code, requestTimeoutMillis, auditIntervalMillis, updateDelayMillis,
            repairIntervalMillis, auditFanout, quotaBytes, maxLeaseMillis, value, maxQueuedRebuilds,
            maxConcurrentRebuilds, handoffsPerRound, aggregation);
    }

    public GlacierConfig withAuditIntervalMillis(long value) {
        return new GlacierConfig(code, requestTimeoutMillis, value, updateDelayMillis, repairIntervalMillis,
            auditFanout, quotaBytes, maxLeaseMillis, maxAuditEntries, maxQueuedRebuilds, maxConcurrentRebuilds,
            handoffsPerRound, aggregation);
    }
}
