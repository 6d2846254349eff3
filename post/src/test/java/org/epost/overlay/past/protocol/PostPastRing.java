package org.epost.overlay.past.protocol;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.sim.SimScheduler;

/**
 * The overlay test-jar's package-private simulated PAST ring ({@link PastRing}), opened up for the POST services'
 * tests (same package, this module's test sources).
 */
public final class PostPastRing {
    private final PastRing ring;

    public PostPastRing(int nodes, long seed) {
        this.ring = new PastRing(nodes, seed, PastRing.testConfig());
    }

    public List<Past> live() {
        return ring.live();
    }

    public SimScheduler scheduler() {
        return ring.scheduler;
    }

    /** Runs the simulation until {@code future} completes (at most 10 virtual minutes) and answers its value. */
    public <T> T await(CompletableFuture<T> future) {
        return ring.await(future);
    }

    public int holders(BlockKey key) {
        return ring.holders(key).size();
    }
}
