package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * PAST with its signature checks and block hashes off the node thread: played by the simulator as later events
 * ({@link org.epost.overlay.sim.SimScheduler#deferOffload}), so other messages run between a check and its outcome,
 * as with the production pool. Everything must behave as when checked inline, and replay exactly.
 */
class PastOffloadTest {
    private static final int K = PastRing.K;

    private static PastRing deferredRing(long seed) {
        PastRing ring = new PastRing(30, seed, PastRing.testConfig());
        ring.scheduler().deferOffload();
        return ring;
    }

    @Test
    void blocksOfEveryKindAreStoredOnKHoldersAndReadBack() {
        PastRing ring = deferredRing(21);
        List<Block> blocks = ring.mixedBlocks(60);

        assertThat(ring.insertAll(blocks)).allSatisfy(result -> {
            assertThat(result.status()).isEqualTo(InsertResult.Status.SUCCESS);
            assertThat(result.holders()).hasSize(K);
        });
        for (Block block : blocks) {
            assertThat(ring.holders(block.key())).as("holders of %s", block)
                    .containsExactlyInAnyOrderElementsOf(ring.closest(block.handle()).subList(0, K));
            Optional<Block> found = ring.await(ring.randomLive().lookup(block.key()));
            assertThat(found).as("lookup of %s", block).isPresent();
            assertThat(PastRing.sameBlock(found.get(), block)).isTrue();
        }
    }

    @Test
    void aRootThatFindsItsCopyCorruptedWhenServingDropsItAndTheReaderGetsAGoodOne() {
        PastRing ring = deferredRing(7);
        ContentHashBlock block = ring.contentBlock();
        assertThat(ring.await(ring.randomLive().insert(block, ring.now() + PastRing.LEASE)).isSuccess()).isTrue();
        Past root = ring.closest(block.handle()).get(0);
        assertThat(ring.storeOf(root).tamper(block.key())).isTrue();
        // beyond the k holders: its lookup goes straight to the root, whose copy is checked off the node thread
        Past reader = ring.closest(block.handle()).get(K);

        Optional<Block> found = ring.await(reader.lookup(block.key()));

        assertThat(found).as("read from another holder").isPresent();
        assertThat(PastRing.sameBlock(found.get(), block)).isTrue();
        assertThat(root.badReplicasFound()).as("the root caught its bad copy").isEqualTo(1);
        ring.runFor(10_000);
        assertThat(ring.storeOf(root).isTampered(block.key())).as("the root fetched a good copy back").isFalse();
        assertThat(ring.holders(block.key())).containsExactlyInAnyOrderElementsOf(
                ring.closest(block.handle()).subList(0, K));
    }

    @Test
    void aForgedSignatureIsRefusedBeforeAnythingIsSent() {
        PastRing ring = deferredRing(10);
        PublicKeyBlock good = ring.publicKeyBlock("forged", 3);
        byte[] forged = good.encoded();
        forged[forged.length - 5] ^= 0x10; // inside the signature
        Past client = ring.randomLive();
        long sentBefore = client.messagesSent();

        InsertResult refused = ring.await(client.insertEncoded(good.handle(), forged, ring.now() + PastRing.LEASE));

        assertThat(refused.status()).isEqualTo(InsertResult.Status.REJECTED);
        assertThat(refused.detail()).contains(RejectionReason.BAD_SIGNATURE.name());
        assertThat(client.messagesSent()).isEqualTo(sentBefore);
        ring.runFor(10_000);
        assertThat(ring.holders(good.key())).isEmpty();
    }

    @Test
    void aSeedReplaysExactly() {
        assertThat(run(33)).isEqualTo(run(33));
    }

    /** The figures of one deferred run: the same seed must give the same ones. */
    private static List<Long> run(long seed) {
        PastRing ring = deferredRing(seed);
        List<Block> blocks = ring.mixedBlocks(30);
        ring.insertAll(blocks);
        blocks.forEach(block -> ring.await(ring.randomLive().lookup(block.key())));
        return List.of(ring.messages(), ring.pastMessages(), ring.scheduler().executedEvents(), ring.now());
    }
}
