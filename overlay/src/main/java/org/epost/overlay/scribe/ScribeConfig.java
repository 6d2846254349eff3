package org.epost.overlay.scribe;

/**
 * Tunables of Scribe. Times are milliseconds of the node's {@link org.epost.overlay.time.Clock}.
 *
 * @param heartbeatIntervalMillis how often a node tells each tree neighbour (parent and children) it is still there
 * @param parentTimeoutMillis     a parent not heard from for this long is given up, and the node joins again
 * @param childTimeoutMillis      a child not heard from for this long is dropped (and a childless forwarder pruned)
 * @param joinRetryMillis         a join not acknowledged within this long is routed again
 * @param seenMemory              publications remembered per group to suppress duplicates
 * @param maxGroups               trees this node takes part in at most when other nodes' joins ask it to (its own
 *                                subscriptions always count but are never refused): beyond, a join passing through
 *                                is routed on toward the root, and one that reaches this node as root is refused
 * @param maxChildren             children per group at most: beyond, a join passing through is routed on, one
 *                                reaching the root is refused, so a node flooding joins costs bounded memory
 */
public record ScribeConfig(
        long heartbeatIntervalMillis,
        long parentTimeoutMillis,
        long childTimeoutMillis,
        long joinRetryMillis,
        int seenMemory,
        int maxGroups,
        int maxChildren) {

    public ScribeConfig {
        if (heartbeatIntervalMillis <= 0 || parentTimeoutMillis <= 0 || childTimeoutMillis <= 0
                || joinRetryMillis <= 0) {
            throw new IllegalArgumentException("intervals and timeouts must be positive");
        }
        if (parentTimeoutMillis <= heartbeatIntervalMillis || childTimeoutMillis <= heartbeatIntervalMillis) {
            throw new IllegalArgumentException("timeouts must be longer than the heartbeat interval");
        }
        if (seenMemory < 1 || maxGroups < 1 || maxChildren < 1) {
            throw new IllegalArgumentException("seenMemory, maxGroups and maxChildren must be positive");
        }
    }

    /**
     * Defaults for deployments: a heartbeat every 10 s, a neighbour silent for 30 s is given up; 100,000 groups (a
     * presence group per user whose mail a node forwards or keeps, a few hundred bytes each) and 1,024 children per
     * group (a node's children come through its routing table and leaf set, a few hundred in a large ring).
     */
    public static ScribeConfig defaults() {
        return new ScribeConfig(10_000, 30_000, 30_000, 10_000, 1024, 100_000, 1_024);
    }

    public ScribeConfig withHeartbeat(long intervalMillis, long timeoutMillis) {
        return new ScribeConfig(intervalMillis, timeoutMillis, timeoutMillis, joinRetryMillis, seenMemory, maxGroups,
                maxChildren);
    }

    public ScribeConfig withJoinRetryMillis(long value) {
        return new ScribeConfig(heartbeatIntervalMillis, parentTimeoutMillis, childTimeoutMillis, value, seenMemory,
                maxGroups, maxChildren);
    }

    public ScribeConfig withLimits(int groups, int childrenPerGroup) {
        return new ScribeConfig(heartbeatIntervalMillis, parentTimeoutMillis, childTimeoutMillis, joinRetryMillis,
                seenMemory, groups, childrenPerGroup);
    }
}
