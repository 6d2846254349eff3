package org.epost.overlay.pastry;

/**
 * Tunables of the Pastry state machine. b = 4 (hexadecimal digits) is fixed by {@link org.epost.overlay.id.Id}.
 * Times are milliseconds of the node's {@link org.epost.overlay.time.Clock}.
 *
 * @param leafSetSize          L: L/2 neighbours on each side of the ring
 * @param keepAliveIntervalMillis how often leaf-set members not heard from are probed
 * @param probeTimeoutMillis   how long one probe waits for its reply
 * @param probeRetries         further probes after the first fails, before the node is declared dead
 * @param hopAckTimeoutMillis  how long a forwarded hop waits for the next node's acknowledgement
 * @param joinTimeoutMillis    how long a joining node waits for its state before asking again
 * @param leafSetGossipIntervalMillis how often a node asks its two nearest neighbours for their leaf sets
 * @param departedProbeIntervalMillis how often nodes declared dead are probed, so a healed partition re-merges
 * @param tombstoneMillis      how long a node declared dead is remembered (not re-learnt from hearsay, and probed)
 * @param maxHops              a routed message travelling more hops than this is dropped (loop guard)
 * @param maxReroutes          how often one node re-routes the same message after failed hops before dropping it
 * @param deliveredMemory      how many delivered message ids a node remembers to suppress duplicates
 */
public record PastryConfig(
        int leafSetSize,
        long keepAliveIntervalMillis,
        long probeTimeoutMillis,
        int probeRetries,
        long hopAckTimeoutMillis,
        long joinTimeoutMillis,
        long leafSetGossipIntervalMillis,
        long departedProbeIntervalMillis,
        long tombstoneMillis,
        int maxHops,
        int maxReroutes,
        int deliveredMemory) {

    public PastryConfig {
        if (leafSetSize < 2 || leafSetSize % 2 != 0) {
            throw new IllegalArgumentException("leafSetSize must be even and at least 2: " + leafSetSize);
        }
        if (keepAliveIntervalMillis <= 0 || probeTimeoutMillis <= 0 || hopAckTimeoutMillis <= 0
                || joinTimeoutMillis <= 0 || leafSetGossipIntervalMillis <= 0 || departedProbeIntervalMillis <= 0) {
            throw new IllegalArgumentException("intervals and timeouts must be positive");
        }
        if (probeRetries < 0 || maxHops < 1 || maxReroutes < 0 || deliveredMemory < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Defaults for real deployments (and a sane start for simulations). */
    public static PastryConfig defaults() {
        return new PastryConfig(16, 30_000, 1_000, 3, 1_000, 5_000, 60_000, 60_000, 600_000, 64, 8, 4096);
    }

    public int halfLeafSetSize() {
        return leafSetSize / 2;
    }

    public PastryConfig withLeafSetSize(int value) {
        return new PastryConfig(value, keepAliveIntervalMillis, probeTimeoutMillis, probeRetries, hopAckTimeoutMillis,
                joinTimeoutMillis, leafSetGossipIntervalMillis, departedProbeIntervalMillis, tombstoneMillis, maxHops,
                maxReroutes, deliveredMemory);
    }

    public PastryConfig withKeepAliveIntervalMillis(long value) {
        return new PastryConfig(leafSetSize, value, probeTimeoutMillis, probeRetries, hopAckTimeoutMillis,
                joinTimeoutMillis, leafSetGossipIntervalMillis, departedProbeIntervalMillis, tombstoneMillis, maxHops,
                maxReroutes, deliveredMemory);
    }

    public PastryConfig withProbe(long timeoutMillis, int retries) {
        return new PastryConfig(leafSetSize, keepAliveIntervalMillis, timeoutMillis, retries, hopAckTimeoutMillis,
                joinTimeoutMillis, leafSetGossipIntervalMillis, departedProbeIntervalMillis, tombstoneMillis, maxHops,
                maxReroutes, deliveredMemory);
    }

    public PastryConfig withHopAckTimeoutMillis(long value) {
        return new PastryConfig(leafSetSize, keepAliveIntervalMillis, probeTimeoutMillis, probeRetries, value,
                joinTimeoutMillis, leafSetGossipIntervalMillis, departedProbeIntervalMillis, tombstoneMillis, maxHops,
                maxReroutes, deliveredMemory);
    }

    public PastryConfig withLeafSetGossipIntervalMillis(long value) {
        return new PastryConfig(leafSetSize, keepAliveIntervalMillis, probeTimeoutMillis, probeRetries,
                hopAckTimeoutMillis, joinTimeoutMillis, value, departedProbeIntervalMillis, tombstoneMillis, maxHops,
                maxReroutes, deliveredMemory);
    }

    public PastryConfig withDepartedProbeIntervalMillis(long value) {
        return new PastryConfig(leafSetSize, keepAliveIntervalMillis, probeTimeoutMillis, probeRetries,
                hopAckTimeoutMillis, joinTimeoutMillis, leafSetGossipIntervalMillis, value, tombstoneMillis, maxHops,
                maxReroutes, deliveredMemory);
    }
}
