package org.epost.overlay.past.protocol;

import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.time.Clock;

/**
 * The overlay test-jar's package-private {@link PastRing}, opened up for the accounts tests in mailbox-post (same
 * package on the test classpath). Virtual time only.
 */
public final class AccountsTestRing {
    private final PastRing ring;

    public AccountsTestRing(int nodes, long seed) {
        this.ring = new PastRing(nodes, seed, PastRing.testConfig());
    }

    /** The Ed25519 key every node's verifier trusts for certificate blocks: the user CA in these tests. */
    public KeyPair certificateAuthority() {
        return ring.ca;
    }

    public Clock clock() {
        return ring.scheduler;
    }

    public List<Past> live() {
        return ring.live();
    }

    /** Runs virtual time until {@code future} is done (at most 10 virtual minutes) and returns it, done. */
    public <T> CompletableFuture<T> settle(CompletableFuture<T> future) {
        ring.scheduler.runUntil(future::isDone, ring.scheduler.now() + 10 * 60_000);
        if (!future.isDone()) {
            throw new AssertionError("not done within 10 virtual minutes");
        }
        return future;
    }

    public void runFor(long virtualMillis) {
        ring.scheduler.runFor(virtualMillis);
    }

    public List<Past> holders(BlockKey key) {
        return ring.holders(key);
    }

    public TamperingBlockStore storeOf(Past past) {
        return ring.storeOf(past);
    }

    /** Makes every holder of {@code current} hold {@code older} instead, as colluding holders rolling it back would. */
    public int rollBack(Block current, Block older, long leaseExpiry) {
        int rolledBack = 0;
        for (Past past : ring.holders(current.key())) {
            TamperingBlockStore store = ring.storeOf(past);
            store.delete(current.key());
            if (store.put(older.handle(), older.encoded(), leaseExpiry).isStored()) {
                rolledBack++;
            }
        }
        return rolledBack;
    }
}
