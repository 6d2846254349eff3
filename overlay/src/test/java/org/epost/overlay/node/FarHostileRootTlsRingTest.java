package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.testing.TlsRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten overlay nodes on real TCP + TLS links (ports 26000-26009) with leaf sets of 4, so that a node a few places
 * from a handle cannot tell its holders from its own leaf set: the ring larger than a leaf set, in small. One member
 * speaks the real protocol but, as root, replicates nothing and names only itself (its PAST runs with k = 1 and no
 * diversions). A far honest node's insert of a block it is root for is not taken as done on that one copy: the
 * client finds the k closest along several paths, has the root's claim confirmed by them over their own links and
 * stores the block on those that do not hold it; after the root dropped its copy a far reader still finds it. Before
 * the discovery, the far client took the root's word (one holder) and the insert ended on the root alone.
 */
class FarHostileRootTlsRingTest {
    private static final int NODES = 10;
    private static final int LEAF_SET = 4;
    private static final int FIRST_PORT = 26000;
    private static final long WAIT_MILLIS = RealNodes.WAIT_MILLIS;

    @Test
    void aFarHonestNodeInsertsAndReadsPastARootThatNamesOnlyItself(@TempDir Path storage) throws Exception {
        TlsRing.Setup setup = TlsRing.Setup.defaults().withPastry(PastryConfig.defaults().withLeafSetSize(LEAF_SET))
                .withPast(i -> i == NODES - 1
                        ? PastConfig.defaults().withReplicas(1).withMaxDiversions(0) : PastConfig.defaults());
        try (TlsRing ring = TlsRing.start(storage, FIRST_PORT, NODES, setup).join()) {
            assertThat(ring.formed(LEAF_SET)).as("the ring forms").isTrue();
            OverlayNode hostile = ring.nodes.get(NODES - 1);
            NodeHandle hostileHandle = hostile.transport().localHandle();
            ContentHashBlock block = TlsRing.blockRootedAt(ring.nodes, hostileHandle.id());
            List<OverlayNode> byDistance = ring.nodes.stream().sorted(Comparator.comparing(
                    (OverlayNode node) -> node.transport().localHandle().id().distance(block.handle()))).toList();
            OverlayNode client = byDistance.get(NODES - 1);

            InsertResult inserted = client.past().insert(block, System.currentTimeMillis() + 3_600_000)
                    .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);

            assertThat(inserted.status()).isEqualTo(InsertResult.Status.SUCCESS);
            assertThat(inserted.holders()).as("k holders, not the root's one copy").hasSize(3);
            for (OverlayNode node : ring.nodes) {
                boolean named = inserted.holders().stream().anyMatch(h -> h.id().equals(node.transport()
                        .localHandle().id()));
                assertThat(node.past().store().contains(block.key())).as("%s holds it if named", node)
                        .isEqualTo(named);
            }
            assertThat(onNodeThread(client, () -> client.past().rootsBypassed())).isPositive();
            assertThat(onNodeThread(client, () -> client.past().discoveries())).as("the client is far").isPositive();

            hostile.onNodeThread(() -> hostile.past().store().delete(block.key()))
                    .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            OverlayNode reader = byDistance.get(NODES - 2);
            assertThat(reader.past().lookup(block.key()).get(WAIT_MILLIS, TimeUnit.MILLISECONDS))
                    .as("found past a root that has none and names only itself").isPresent();
        }
    }

    private static <T> T onNodeThread(OverlayNode node, Callable<T> work) throws Exception {
        return node.onNodeThread(work).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
