package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/** One seed, one history: a PAST run (insert, read, crash, repair) replays to the same trace and outcome. */
class PastReplayTest {

    @Test
    void theSameSeedReplaysTheSameRun() {
        String first = run(21);
        String second = run(21);
        assertThat(second).isEqualTo(first);
        assertThat(run(22)).as("another seed, another run").isNotEqualTo(first);
    }

    /** A summary of everything observable: results, holders, repair time, and the network trace hash. */
    private static String run(long seed) {
        PastRing ring = new PastRing(30, seed, PastRing.testConfig());
        List<Block> blocks = ring.mixedBlocks(100);
        StringBuilder summary = new StringBuilder();
        for (InsertResult result : ring.insertAll(blocks)) {
            summary.append(result.status()).append(result.holders()).append('\n');
        }
        ring.sim().crash(0.1);
        long crashedAt = ring.scheduler().now();
        assertThat(ring.scheduler().runUntil(() -> ring.allAtReplicas(blocks, 3), crashedAt + 30 * 60_000)).isTrue();
        summary.append("repaired after ").append(ring.scheduler().now() - crashedAt).append(" ms\n");
        List<CompletableFuture<Optional<Block>>> reads = new ArrayList<>();
        for (Block block : blocks) {
            reads.add(ring.randomLive().lookup(block.key()));
        }
        for (Optional<Block> found : ring.awaitAll(reads)) {
            assertThat(found).isPresent();
            summary.append(found.get().key()).append('\n');
        }
        for (Block block : blocks) {
            summary.append(block.key()).append(" at ")
                    .append(ring.holders(block.key()).stream().map(Past::localHandle).toList()).append('\n');
        }
        summary.append("trace ").append(ring.sim().network().traceHash()).append(" messages ")
                .append(ring.messages()).append(" at ").append(ring.scheduler().now());
        return summary.toString();
    }
}
