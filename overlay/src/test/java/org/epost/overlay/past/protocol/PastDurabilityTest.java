package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * PAST acknowledges only what its holders' stores made durable, and a holder waiting for its disk keeps serving: on
 * 20 simulated nodes whose stores hold their syncs until the test releases them.
 */
class PastDurabilityTest {
    private static final int K = 3;

    @Test
    void anInsertIsAcknowledgedOnlyAfterEveryHolderSyncedWhileHoldersKeepServing() {
        PastRing ring = new PastRing(20, 31, PastRing.testConfig());
        ContentHashBlock earlier = ring.contentBlock();
        assertThat(ring.await(ring.randomLive().insert(earlier, ring.scheduler().now() + PastRing.LEASE)).isSuccess())
                .isTrue();
        ring.stores().forEach(TamperingBlockStore::holdSyncs);
        ContentHashBlock pending = ring.contentBlock();
        Past root = ring.closest(pending.handle()).get(0);

        CompletableFuture<InsertResult> insert = ring.live().get(0).insert(pending,
                ring.scheduler().now() + PastRing.LEASE);
        ring.scheduler().runFor(2_000); // far more than the simulated network needs, far less than the request timeout

        assertThat(insert).as("acknowledged before a sync returned").isNotDone();
        assertThat(root.store().contains(pending.key())).as("the root decided and wrote it").isTrue();
        assertThat(ring.storeOf(root).heldAnswers()).as("the root waits for its disk").isPositive();
        // Meanwhile the nodes go on serving: a lookup completes while the insert waits for the disks.
        Optional<Block> served = ring.await(root.lookup(earlier.key()));
        assertThat(served).isPresent();
        assertThat(PastRing.sameBlock(served.get(), earlier)).isTrue();
        assertThat(insert).isNotDone();

        ring.storeOf(root).releaseSyncs();
        ring.scheduler().runFor(2_000);
        assertThat(insert).as("the other holders have not synced yet").isNotDone();
        assertThat(ring.holders(pending.key())).hasSize(K);

        ring.stores().forEach(TamperingBlockStore::releaseSyncs);
        InsertResult result = ring.await(insert);
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.holders()).hasSize(K);
    }

    @Test
    void aLeaseExtensionIsCountedOnlyOnceHoldersSyncedIt() {
        PastRing ring = new PastRing(20, 32, PastRing.testConfig());
        ContentHashBlock block = ring.contentBlock();
        assertThat(ring.await(ring.randomLive().insert(block, ring.scheduler().now() + PastRing.DAY)).isSuccess())
                .isTrue();
        ring.stores().forEach(TamperingBlockStore::holdSyncs);

        long asked = ring.scheduler().now() + 10 * PastRing.DAY;
        CompletableFuture<Integer> extension = ring.randomLive().extendLease(block.key(), asked);
        ring.scheduler().runFor(2_000);

        assertThat(extension).isNotDone();
        for (Past holder : ring.holders(block.key())) {
            assertThat(holder.store().get(block.key()).orElseThrow().leaseExpiry())
                    .as("granted on %s, not yet durable", holder).isEqualTo(asked);
        }
        ring.stores().forEach(TamperingBlockStore::releaseSyncs);
        assertThat(ring.await(extension)).isEqualTo(K);
    }
}
