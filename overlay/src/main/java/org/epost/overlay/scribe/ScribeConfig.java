package org.epost.overlay.scribe;

/**
 * Tunables of Scribe. Times are milliseconds of the node's {@link org.epost.overlay.time.Clock}.
 *
 * @param heartbeatIntervalMillis how often a node tells each tree neighbour (parent and children) it is still there
 * @param parentTimeoutMillis     a parent not heard from for this long is given up, and the node joins again
 * @param childTimeoutMillis      a child not heard from for this long is dropped (and a childless forwarder pruned)
 * @param joinRetryMillis         a join not acknowledged within this long is routed again
 * @param seenMemory              publications remembered per group to suppress duplicates
 */
public record ScribeConfig(
        long heartbeatIntervalMillis,
        long parentTimeoutMillis,
        long childTimeoutMillis,
        long joinRetryMillis,
        int seenMemory) {

    public ScribeConfig {
        if (heartbeatIntervalMillis <= 0 || parentTimeoutMillis <= 0 || childTimeoutMillis <= 0
                || joinRetryMillis <= 0) {
            throw new IllegalArgumentException("intervals and timeouts must be positive");
        }
        if (parentTimeoutMillis <= heartbeatIntervalMillis || childTimeoutMillis <= heartbeatIntervalMillis) {
            throw new IllegalArgumentException("timeouts must be longer than the heartbeat interval");
        }
        if (seenMemory < 1) {
            throw new IllegalArgumentException("seenMemory must be positive: " + seenMemory);
        }
    }

    /** Defaults for deployments: a heartbeat every 10 s, a neighbour silent for 30 s is given up. */
    public static ScribeConfig defaults() {
        return new ScribeConfig(10_000, 30_000, 30_000, 10_000, 1024);
    }

    public ScribeConfig withHeartbeat(long intervalMillis, long timeoutMillis) {
        return new ScribeConfig(intervalMillis, timeoutMillis, timeoutMillis, joinRetryMillis, seenMemory);
    }

    public ScribeConfig withJoinRetryMillis(long value) {
        return new ScribeConfig(heartbeatIntervalMillis, parentTimeoutMillis, childTimeoutMillis, value, seenMemory);
    }
}
