package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.testing.TlsRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four overlay nodes on real TCP + TLS links (ports 31500-31503), one of them a certified member that speaks the
 * real protocol but, as root, replicates nothing and names only itself (its PAST runs with k = 1 and no diversions):
 * an honest node's insert of a block it is root for is not taken as done on that one copy, but stored by the client
 * on the k closest it knows; and once the hostile root dropped its copy, an honest reader still finds the block.
 */
class HostileRootTlsRingTest {
    private static final int NODES = 4;
    private static final int FIRST_PORT = 31500;
    private static final long WAIT_MILLIS = RealNodes.WAIT_MILLIS;

    @Test
    void anHonestNodeInsertsAndReadsPastARootThatNamesOnlyItself(@TempDir Path storage) throws Exception {
        TlsRing.Setup setup = TlsRing.Setup.defaults().withPast(i -> i == NODES - 1
                ? PastConfig.defaults().withReplicas(1).withMaxDiversions(0) : PastConfig.defaults());
        try (TlsRing ring = TlsRing.start(storage, FIRST_PORT, NODES, setup).join()) {
            assertThat(ring.formed()).as("the ring forms").isTrue();
            hostileRootIsBypassed(ring.nodes);
        }
    }

    private static void hostileRootIsBypassed(List<OverlayNode> nodes) throws Exception {
        OverlayNode hostile = nodes.get(NODES - 1);
        NodeHandle hostileHandle = hostile.transport().localHandle();
        ContentHashBlock block = TlsRing.blockRootedAt(nodes, hostileHandle.id());
        OverlayNode client = nodes.get(0);

        InsertResult inserted = client.past().insert(block, System.currentTimeMillis() + 3_600_000)
                .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(inserted.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(inserted.holders()).as("k holders, not the root's one copy").hasSize(3);
        for (OverlayNode node : nodes) {
            boolean named = inserted.holders().stream().anyMatch(h -> h.id().equals(node.transport().localHandle()
                    .id()));
            assertThat(node.past().store().contains(block.key())).as("%s holds it if named", node).isEqualTo(named);
        }
        assertThat(onNodeThread(client, () -> client.past().rootsBypassed())).isPositive();

        hostile.onNodeThread(() -> hostile.past().store().delete(block.key())).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        OverlayNode reader = nodes.get(1);
        assertThat(reader.past().lookup(block.key()).get(WAIT_MILLIS, TimeUnit.MILLISECONDS))
                .as("found past a root that has none and names only itself").isPresent();
    }

    private static <T> T onNodeThread(OverlayNode node, Callable<T> work) throws Exception {
        return node.onNodeThread(work).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
