package org.epost.overlay.past.protocol;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.sim.SimScheduler;

/**
 * A public face, for the POST services' tests, of the overlay test-jar's package-private {@link PastRing}: a seeded
 * simulated ring with PAST on every node, each over an in-memory store a test can tamper with. Lives in PastRing's
 * package (in this module's test sources) only to reach it; it changes nothing in the overlay.
 */
public final class SimulatedPastRing {
    public static final long DAY = PastRing.DAY;
    public static final long LEASE = PastRing.LEASE;
    public static final int K = PastRing.testConfig().replicas();

    private final PastRing ring;

    public SimulatedPastRing(int nodes, long seed) {
        this.ring = new PastRing(nodes, seed, PastRing.testConfig());
    }

    /** Every node with a quota of {@code quotaBytes}. */
    public SimulatedPastRing(int nodes, long seed, long quotaBytes) {
        this.ring = new PastRing(nodes, seed, PastRing.testConfig(), i -> quotaBytes);
    }

    public List<Past> live() {
        return ring.live();
    }

    public long now() {
        return ring.scheduler.now();
    }

    /** The ring's virtual-time scheduler, for POST jobs (such as lease refresh) that run beside the nodes. */
    public SimScheduler scheduler() {
        return ring.scheduler;
    }

    /** PAST messages sent so far by every node. */
    public long pastMessages() {
        return ring.pastMessages();
    }

    public void runFor(long millis) {
        ring.scheduler.runFor(millis);
    }

    /** Runs the simulation until {@code future} completes (at most 10 virtual minutes) and returns its value. */
    public <T> T await(CompletableFuture<T> future) {
        return ring.await(future);
    }

    /** Runs the simulation until {@code future} completes, at most 10 virtual minutes; whether it did. */
    public boolean settle(CompletableFuture<?> future) {
        return ring.scheduler.runUntil(future::isDone, ring.scheduler.now() + 10 * 60_000);
    }

    public List<Past> holders(BlockKey key) {
        return ring.holders(key);
    }

    public List<Past> closest(Id handle) {
        return ring.closest(handle);
    }

    public TamperingBlockStore storeOf(Past past) {
        return ring.storeOf(past);
    }

    /** Bytes accounted by every node's block store (each block's encoding plus the store's per-entry overhead). */
    public long storedBytes() {
        return ring.stores.values().stream().mapToLong(TamperingBlockStore::usedBytes).sum();
    }

    /** Makes {@code past} hand out its stored copies without checking them, as a faulty holder would. */
    public void serveUnverified(Past past, boolean value) {
        past.serveUnverifiedForTests(value);
    }
}
