package org.epost.durability.sim;

import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.params.GlacierParameters;

/**
 * Parameters of one Glacier simulation run.
 *
 * @param nodes        ring size
 * @param seed         decides everything: ids, objects, failures, the nodes' choices
 * @param failFraction fraction of the live nodes crashed at once
 * @param correlated   crash one contiguous run of nodes on the ring (true) instead of a uniform random set
 * @param objects      content-hash blocks stored in PAST and archived in Glacier
 * @param objectBytes  content bytes of each (the last objects' sizes vary by up to an eighth, seeded)
 * @param code         Glacier's (n, m)
 * @param aggregateBelow objects whose encoding is smaller are aggregated by their roots (0: every object coded alone)
 */
public record GlacierSimSettings(int nodes, long seed, double failFraction, boolean correlated, int objects,
                                 int objectBytes, GlacierParameters code, int aggregateBelow) {
    public static final int DEFAULT_OBJECTS = 100;
    /** A quarter MiB: mail parts and chunks are up to 1 MiB, and a fragment's 350 bytes of proof stay under 7%. */
    public static final int DEFAULT_OBJECT_BYTES = 256 * 1024;

    public GlacierSimSettings {
        if (nodes < 2 || objects < 0 || objectBytes < 1 || objectBytes > (1 << 20) - 65536 || failFraction < 0
                || failFraction >= 1) {
            throw new IllegalArgumentException("need nodes >= 2, objects >= 0, 1 <= objectBytes <= 960 KiB, "
                + "0 <= fail < 1");
        }
        if (aggregateBelow < 0 || aggregateBelow > AggregationPolicy.DEFAULT.targetBytes()) {
            throw new IllegalArgumentException("aggregate below 0.." + AggregationPolicy.DEFAULT.targetBytes()
                + " bytes");
        }
    }

    public static GlacierSimSettings of(int nodes, long seed) {
        return new GlacierSimSettings(nodes, seed, 0.6, true, DEFAULT_OBJECTS, DEFAULT_OBJECT_BYTES,
            GlacierParameters.forRing(nodes), AggregationPolicy.DEFAULT.smallObjectBytes());
    }

    public GlacierSimSettings withFail(double fraction, boolean isCorrelated) {
        return new GlacierSimSettings(nodes, seed, fraction, isCorrelated, objects, objectBytes, code, aggregateBelow);
    }

    public GlacierSimSettings withObjects(int count, int bytes) {
        return new GlacierSimSettings(nodes, seed, failFraction, correlated, count, bytes, code, aggregateBelow);
    }

    public GlacierSimSettings withAggregateBelow(int bytes) {
        return new GlacierSimSettings(nodes, seed, failFraction, correlated, objects, objectBytes, code, bytes);
    }

    /** The aggregation the run's nodes use: the default policy with this run's threshold. */
    public AggregationPolicy aggregation() {
        AggregationPolicy policy = AggregationPolicy.DEFAULT;
        return new AggregationPolicy(aggregateBelow, policy.targetBytes(), policy.flushAfterMillis());
    }

    public GlacierSimSettings withCode(GlacierParameters value) {
        return new GlacierSimSettings(nodes, seed, failFraction, correlated, objects, objectBytes, value, aggregateBelow);
    }
}
