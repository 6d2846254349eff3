package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.sim.Simulation.SimNode;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/** PAST on a 100-node simulated ring: 1,000 blocks of every kind inserted, read, counted, and repaired. */
class PastSimulationTest {
    private static final int K = 3;

    @Test
    void insertReadCountCrashAndRepair() {
        PastRing ring = new PastRing(100, 42, PastRing.testConfig());
        List<Block> blocks = ring.mixedBlocks(1000);

        long messagesBefore = ring.messages();
        long pastBefore = ring.pastMessages();
        long insertStart = ring.scheduler().now();
        List<InsertResult> results = ring.insertAll(blocks);
        report("insert: %d overlay messages/insert (incl. Pastry hops and acks), %d PAST messages/insert, %d virtual ms",
                (ring.messages() - messagesBefore) / blocks.size(), (ring.pastMessages() - pastBefore) / blocks.size(),
                ring.scheduler().now() - insertStart);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.status()).isEqualTo(InsertResult.Status.SUCCESS);
            assertThat(result.holders()).hasSize(K);
        });

        // exactly k replicas, on the k live nodes closest to each handle
        for (Block block : blocks) {
            List<Past> holders = ring.holders(block.key());
            assertThat(holders).as("holders of %s", block).hasSize(K);
            assertThat(holders).containsExactlyInAnyOrderElementsOf(ring.closest(block.handle()).subList(0, K));
        }

        for (BlockKind kind : BlockKind.values()) {
            List<Block> ofKind = blocks.stream().filter(block -> block.kind() == kind).toList();
            long messagesBeforeKind = ring.messages();
            long pastBeforeKind = ring.pastMessages();
            assertAllReadable(ring, ofKind);
            report("lookup %s (%d blocks): %.1f overlay messages/lookup, %.1f PAST messages/lookup", kind,
                    ofKind.size(), (ring.messages() - messagesBeforeKind) / (double) ofKind.size(),
                    (ring.pastMessages() - pastBeforeKind) / (double) ofKind.size());
        }

        // crash 5 nodes at once; failure detection and maintenance bring every block back to k live replicas
        List<SimNode> live = new ArrayList<>(ring.sim().liveNodes());
        int crashed = ring.sim().crash(0.05);
        assertThat(crashed).isEqualTo(5);
        assertThat(ring.allAtReplicas(blocks, K)).as("some blocks lost a replica").isFalse();
        long crashedAt = ring.scheduler().now();
        assertThat(ring.scheduler().runUntil(() -> ring.allAtReplicas(blocks, K), crashedAt + 30 * 60_000))
                .as("back to k live replicas").isTrue();
        report("repair: every block back at %d live replicas %d virtual ms after crashing %d of %d nodes", K,
                ring.scheduler().now() - crashedAt, crashed, live.size());
        for (Block block : blocks) {
            assertThat(ring.holders(block.key()))
                    .containsExactlyInAnyOrderElementsOf(ring.closest(block.handle()).subList(0, K));
        }
        assertAllReadable(ring, blocks);

        // 5 nodes join: the holders they displace hand their blocks over and drop them once acknowledged
        long handedOffBefore = ring.pasts().stream().mapToLong(Past::blocksHandedOff).sum();
        long joinStart = ring.scheduler().now();
        for (int i = 0; i < 5; i++) {
            ring.sim().addNode();
        }
        assertThat(ring.sim().awaitLeafSetsCorrect(10 * 60_000)).isTrue();
        assertThat(ring.scheduler().runUntil(() -> allOnClosest(ring, blocks), ring.scheduler().now() + 30 * 60_000))
                .as("every block on exactly its k closest live nodes after the joins").isTrue();
        long handedOff = ring.pasts().stream().mapToLong(Past::blocksHandedOff).sum() - handedOffBefore;
        report("join: %d blocks handed off to 5 new nodes, settled %d virtual ms after the first join", handedOff,
                ring.scheduler().now() - joinStart);
        assertThat(handedOff).isPositive();
        assertAllReadable(ring, blocks);
    }

    private static boolean allOnClosest(PastRing ring, List<Block> blocks) {
        for (Block block : blocks) {
            List<Past> holders = ring.holders(block.key());
            if (holders.size() != K || !ring.closest(block.handle()).subList(0, K).containsAll(holders)) {
                return false;
            }
        }
        return true;
    }

    private static void assertAllReadable(PastRing ring, List<Block> blocks) {
        List<CompletableFuture<Optional<Block>>> reads = new ArrayList<>();
        for (Block block : blocks) {
            reads.add(ring.randomLive().lookup(block.key()));
            ring.scheduler().runFor(2);
        }
        List<Optional<Block>> found = ring.awaitAll(reads);
        for (int i = 0; i < blocks.size(); i++) {
            assertThat(found.get(i)).as("lookup of %s", blocks.get(i)).isPresent();
            assertThat(PastRing.sameBlock(found.get(i).get(), blocks.get(i))).isTrue();
        }
    }

    static void report(String format, Object... args) {
        System.out.println("[past-sim] " + String.format(format, args));
    }
}
