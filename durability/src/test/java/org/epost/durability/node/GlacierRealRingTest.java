package org.epost.durability.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.glacier.Glacier;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.durability.params.GlacierParameters;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Glacier on four real nodes in this JVM (TCP + TLS on loopback, RocksDB block and fragment stores): PAST's inserts
 * are archived by their roots (blocks under 4 KiB aggregated, larger ones coded alone), and after two nodes stop and
 * every remaining replica of some blocks is deleted, a PAST lookup still returns each of them, rebuilt from its own
 * fragments or through its aggregate.
 */
class GlacierRealRingTest {
    /** In this helper's port range. */
    private static final int BASE_PORT = 44_110;
    private static final int NODES = 4;
    private static final GlacierParameters CODE = new GlacierParameters(8, 2, 3, 0.6, 1e-6);
    private static final GlacierConfig CONFIG = GlacierConfig.defaults(CODE)
        .withAggregation(new AggregationPolicy(4096, 64 << 10, 2_000));

    @TempDir
    Path directory;

    private final List<OverlayNode> nodes = new ArrayList<>();
    private final List<GlacierNode> glaciers = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = 0; i < nodes.size(); i++) {
            if (glaciers.get(i) != null) {
                glaciers.get(i).close();
                nodes.get(i).close();
            }
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(2, TimeUnit.MINUTES);
    }

    @Test
    void blocksWhoseReplicasAreAllGoneAreRebuiltFromFragmentsOnARealRing() throws Exception {
        Instant notBefore = Instant.now().minusSeconds(60);
        OrganizationAuthority authority = OrganizationAuthority.create("Glacier test", notBefore, Duration.ofDays(1));
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            addresses.add("127.0.0.1:" + (BASE_PORT + i));
        }
        for (int i = 0; i < NODES; i++) {
            OverlayNodeConfig config = new OverlayNodeConfig(new InetSocketAddress("127.0.0.1", BASE_PORT + i),
                addresses.get(i), addresses, PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES,
                directory.resolve("node" + i + "/blocks"), StoreConfig.withQuota(64L << 20), PastConfig.defaults());
            OverlayNode node = OverlayNode.start(authority.issueNodeCredentials("node" + i, notBefore, Duration.ofDays(1)),
                config, GlacierMessageTypes.register(new MessageTypes()));
            nodes.add(node);
            glaciers.add(GlacierNode.start(node, directory.resolve("node" + i + "/glacier"), CONFIG,
                org.epost.overlay.metrics.MetricSink.NONE));
        }
        nodes.forEach(OverlayNode::join);
        awaitRing();

        // Even blocks are small (about 1.6 KB: aggregated), odd ones large (about 8 KB: coded alone).
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ContentHashBlock block = ContentHashBlock.of(("block " + i + " ").repeat(i % 2 == 0 ? 200 : 1000)
                .getBytes());
            assertThat(await(nodes.get(0).past().insert(block, System.currentTimeMillis() + 86_400_000L)).isSuccess())
                .isTrue();
            blocks.add(block);
        }
        int aggregates = awaitAggregated(6);
        awaitFragments((6 + aggregates) * CODE.n());
        awaitSum(Glacier::pointersHeld, 6 * CODE.n());

        // Two nodes stop (their fragments with them); of the survivors, the replicas of half the blocks are deleted.
        for (int i = 2; i < NODES; i++) {
            glaciers.get(i).close();
            nodes.get(i).close();
            glaciers.set(i, null);
        }
        List<ContentHashBlock> withoutReplica = blocks.subList(0, 6);
        long recoveredBefore = sumOf(Glacier::membersRecovered);
        for (ContentHashBlock block : withoutReplica) {
            for (int i = 0; i < 2; i++) {
                nodes.get(i).past().store().delete(block.key());
            }
        }
        for (ContentHashBlock block : blocks) {
            Optional<Block> found = await(nodes.get(0).past().lookup(block.key()));
            assertThat(found).as("block %s", block.handle())
                .hasValueSatisfying(b -> assertThat(b.encoded()).isEqualTo(block.encoded()));
        }
        long recoveries = await(glaciers.get(0).figures()).recoveries();
        assertThat(recoveries).isGreaterThanOrEqualTo(withoutReplica.size());
        // The three small blocks among them came back through their aggregates.
        assertThat(sumOf(Glacier::membersRecovered) - recoveredBefore).isEqualTo(3);
    }

    /** Waits until the live nodes' roots aggregated {@code members} small blocks; answers their aggregates. */
    private int awaitAggregated(long members) throws Exception {
        awaitSum(Glacier::membersAggregated, members);
        return (int) sumOf(Glacier::aggregatesArchived);
    }

    private void awaitSum(java.util.function.ToLongFunction<Glacier> figure, long expected) throws Exception {
        for (int attempt = 0; attempt < 600 && sumOf(figure) < expected; attempt++) {
            Thread.sleep(100);
        }
        assertThat(sumOf(figure)).isEqualTo(expected);
    }

    private long sumOf(java.util.function.ToLongFunction<Glacier> figure) throws Exception {
        long sum = 0;
        for (GlacierNode glacier : glaciers) {
            if (glacier != null) {
                sum += await(glacier.read(figure::applyAsLong));
            }
        }
        return sum;
    }

    private void awaitRing() throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            boolean ready = true;
            for (OverlayNode node : nodes) {
                ready &= await(node.status()).ready() && await(node.status()).leafSet().size() >= NODES - 1;
            }
            if (ready) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the four nodes did not form a ring");
    }

    private void awaitFragments(int expected) throws Exception {
        int held = 0;
        for (int attempt = 0; attempt < 600 && held < expected; attempt++) {
            held = 0;
            for (GlacierNode glacier : glaciers) {
                held += await(glacier.figures()).fragmentsHeld();
            }
            if (held < expected) {
                Thread.sleep(100);
            }
        }
        assertThat(held).isEqualTo(expected);
    }
}
