package org.epost.overlay.past.protocol;

import java.util.Objects;

import org.epost.overlay.fair.FairLimits;

/**
 * Tunables of the PAST protocol; times are milliseconds of the node's scheduler.
 *
 * @param replicas                  k: replicas of every block (on the k live nodes closest to its handle)
 * @param maxDiversions             how many nodes beyond the k closest a root may try when holders answer FULL
 * @param requestTimeoutMillis      how long one request waits for its answer
 * @param retries                   further attempts of a routed request (insert, lookup, lease) after a timeout
 * @param maintenanceIntervalMillis how often a node checks its replicas and collects expired blocks
 * @param updateDelayMillis         how long after a leaf-set change maintenance runs (changes come in bursts)
 * @param digestBatch               entries per {@link org.epost.overlay.past.protocol.messages.ReplicaDigest}
 * @param degradedInserts           whether an insert may succeed with fewer than k replicas when the root sees fewer
 *                                  than k live nodes (a ring smaller than k, or a partitioned node). Off by default:
 *                                  then an isolated node refuses rather than accepting mail it holds alone.
 * @param storeFairness             how blocks other nodes ask this one to store are shared out per sending node
 *                                  ({@code StoreAdmission}: jobs at once, queue shares, budget per minute)
 * @param discoveryPaths            how many different first hops a node that cannot tell a handle's holders itself
 *                                  sends its "who are the k closest" request along; the answers are merged, so one
 *                                  honest answerer among them is enough ({@code past.discovery-paths})
 */
public record PastConfig(int replicas, int maxDiversions, long requestTimeoutMillis, int retries,
                         long maintenanceIntervalMillis, long updateDelayMillis, int digestBatch,
                         boolean degradedInserts, FairLimits storeFairness, int discoveryPaths) {
    public PastConfig {
        Objects.requireNonNull(storeFairness, "storeFairness");
        if (replicas < 1 || maxDiversions < 0 || retries < 0 || digestBatch < 1 || discoveryPaths < 1) {
            throw new IllegalArgumentException("bad PAST counts");
        }
        if (requestTimeoutMillis <= 0 || maintenanceIntervalMillis <= 0 || updateDelayMillis < 0) {
            throw new IllegalArgumentException("bad PAST intervals");
        }
    }

    /**
     * k = 3, two diversions, 5 s timeouts, two retries, maintenance every 10 minutes and 5 s after a change, three
     * discovery paths.
     */
    public static PastConfig defaults() {
        return new PastConfig(3, 2, 5_000, 2, 10 * 60_000, 5_000, 1_000, false, FairLimits.pastStoreDefaults(), 3);
    }

    public PastConfig withReplicas(int value) {
        return new PastConfig(value, maxDiversions, requestTimeoutMillis, retries, maintenanceIntervalMillis,
                updateDelayMillis, digestBatch, degradedInserts, storeFairness, discoveryPaths);
    }

    public PastConfig withMaintenanceIntervalMillis(long value) {
        return new PastConfig(replicas, maxDiversions, requestTimeoutMillis, retries, value, updateDelayMillis,
                digestBatch, degradedInserts, storeFairness, discoveryPaths);
    }

    public PastConfig withMaxDiversions(int value) {
        return new PastConfig(replicas, value, requestTimeoutMillis, retries, maintenanceIntervalMillis,
                updateDelayMillis, digestBatch, degradedInserts, storeFairness, discoveryPaths);
    }

    public PastConfig withDegradedInserts(boolean value) {
        return new PastConfig(replicas, maxDiversions, requestTimeoutMillis, retries, maintenanceIntervalMillis,
                updateDelayMillis, digestBatch, value, storeFairness, discoveryPaths);
    }

    public PastConfig withStoreFairness(FairLimits value) {
        return new PastConfig(replicas, maxDiversions, requestTimeoutMillis, retries, maintenanceIntervalMillis,
                updateDelayMillis, digestBatch, degradedInserts, value, discoveryPaths);
    }

    public PastConfig withDiscoveryPaths(int value) {
        return new PastConfig(replicas, maxDiversions, requestTimeoutMillis, retries, maintenanceIntervalMillis,
                updateDelayMillis, digestBatch, degradedInserts, storeFairness, value);
    }

    /** How many holders an insert needs when the root knows {@code liveCandidates} nodes for it. */
    public int insertQuorum(int liveCandidates) {
        return degradedInserts ? Math.max(1, Math.min(replicas, liveCandidates)) : replicas;
    }
}
