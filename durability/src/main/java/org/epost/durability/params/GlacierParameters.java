package org.epost.durability.params;

import org.epost.durability.erasure.ReedSolomonCodec;

/**
 * Glacier's code for one ring: each object becomes {@code n} fragments, any {@code m} of which rebuild it, on top of
 * PAST's {@code replicas} whole copies.
 *
 * <p>How they are chosen ({@link #forRing}): the widest code the ring carries well, {@code n = min(200, N / 4)}
 * (a quarter of the ring keeps evenly spaced fragment positions on different nodes almost always, and 200 stays
 * under the coder's 256 shards with room), then the largest {@code m} whose loss probability when
 * {@code failFraction} of the nodes fail at once is at most a tenth of the target (the tenfold margin covers two
 * fragments landing on one node and holders lost between audits), but never an m so small that the fragments
 * alone cost more than {@link #MAX_FRAGMENT_RATIO} times the object. With PAST's 3 replicas that keeps the total at
 * most 8 bytes stored per unique byte. On a large ring (800 nodes or more): n = 200, m = 45, 4.44x, P(loss at 60%) =
 * 5.2e-8, 7.44x in all (before the fragments' few hundred bytes of manifest and proof each). A ring too small for both the target
 * and the bound keeps the bound and says so ({@link #meetsLossTarget}).
 *
 * @param n            fragments per object
 * @param m            fragments needed to rebuild
 * @param replicas     PAST's whole copies (k), kept for every object: PAST and its lease refresh stay as they are
 * @param failFraction the fraction of nodes failing at once the code is chosen for
 * @param lossTarget   the largest acceptable P(loss) per object at that failure
 */
public record GlacierParameters(int n, int m, int replicas, double failFraction, double lossTarget) {
    /** At most this many bytes of fragments per byte of object: 3 replicas + 5 = the 8x bound. */
    public static final double MAX_FRAGMENT_RATIO = 5.0;
    public static final int MAX_N = 200;
    public static final double DEFAULT_FAIL_FRACTION = 0.6;
    public static final double DEFAULT_LOSS_TARGET = 1e-6;
    public static final int DEFAULT_REPLICAS = 3;
    /** The code is chosen for P(loss) at most a tenth of the target. */
    static final double DESIGN_MARGIN = 10;

    public GlacierParameters {
        if (m < 1 || n <= m || n > ReedSolomonCodec.MAX_FRAGMENTS) {
            throw new IllegalArgumentException("need 1 <= m < n <= " + ReedSolomonCodec.MAX_FRAGMENTS + "; got n=" + n
                + " m=" + m);
        }
        if (replicas < 0 || failFraction < 0 || failFraction >= 1 || lossTarget <= 0) {
            throw new IllegalArgumentException("need replicas >= 0, 0 <= failFraction < 1, lossTarget > 0");
        }
    }

    /** The defaults for a ring of {@code nodes} nodes: 60% failure, 1e-6 target, 3 PAST replicas. */
    /**
     * A code given as {@code N/M} on a command line (the node processes', the ring benchmark's), with the default
     * replicas and loss target; anything else is an {@link IllegalArgumentException} that shows it.
     */
    public static GlacierParameters ofCode(String nOverM, double failFraction) {
        String[] parts = nOverM.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--code is N/M: " + nOverM);
        }
        return new GlacierParameters(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
            DEFAULT_REPLICAS, failFraction, DEFAULT_LOSS_TARGET);
    }

    public static GlacierParameters forRing(int nodes) {
        return forRing(nodes, DEFAULT_FAIL_FRACTION, DEFAULT_LOSS_TARGET, DEFAULT_REPLICAS);
    }

    public static GlacierParameters forRing(int nodes, double failFraction, double lossTarget, int replicas) {
        int n = Math.max(2, Math.min(MAX_N, nodes / 4));
        int fewest = (int) Math.ceil(n / MAX_FRAGMENT_RATIO);
        int m = Math.max(1, fewest);
        for (int candidate = n - 1; candidate >= fewest && candidate >= 1; candidate--) {
            if (LossArithmetic.lossProbability(n, candidate, failFraction) <= lossTarget / DESIGN_MARGIN) {
                m = candidate;
                break;
            }
        }
        return new GlacierParameters(n, Math.min(m, n - 1), replicas, failFraction, lossTarget);
    }

    /** P(Binomial(n, 1 - failFraction) &lt; m). */
    public double lossProbability() {
        return LossArithmetic.lossProbability(n, m, failFraction);
    }

    public boolean meetsLossTarget() {
        return lossProbability() <= lossTarget;
    }

    /** Bytes of fragment data per byte of object: n / m (each fragment is a 1/m share, rounded up). */
    public double fragmentRatio() {
        return (double) n / m;
    }

    /** Bytes stored per unique byte: PAST's replicas plus the fragments (per-fragment metadata not counted). */
    public double totalRatio() {
        return replicas + fragmentRatio();
    }

    /** The loss probability of PAST's replicas alone at the same failure, f^k, for comparison. */
    public double replicaOnlyLossProbability() {
        return LossArithmetic.replicaLossProbability(replicas, failFraction);
    }

    public ReedSolomonCodec codec() {
        return new ReedSolomonCodec(m, n);
    }
}
