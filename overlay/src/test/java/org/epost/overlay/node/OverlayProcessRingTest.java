package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay on a real network: five node processes and this JVM's node on loopback TCP + TLS. 1,000 blocks are
 * inserted, one process is killed with SIGKILL, every block is still read, and every block is back on k = 3 live
 * holders once the ring noticed. Waits are bounded only so that a broken build fails instead of hanging.
 */
class OverlayProcessRingTest {
    private static final int PROCESSES = 5;
    private static final int BLOCKS = 1_000;
    private static final int K = 3;

    @Test
    void blocksSurviveTheKillOfANodeAndGetBackToKReplicas(@TempDir Path directory) throws Exception {
        try (LocalOverlayRing ring = LocalOverlayRing.launch(directory, PROCESSES)) {
            String local = ring.localAddress();
            int colon = local.lastIndexOf(':');
            OverlayNodeConfig config = new OverlayNodeConfig(new InetSocketAddress("127.0.0.1", Integer.parseInt(local.substring(colon + 1))),
                local, ring.addresses(), PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES,
                directory.resolve("local-store"), StoreConfig.withQuota(1L << 30), PastConfig.defaults());
            try (OverlayNode client = OverlayNode.start(ring.credentialsForLocalNode(), config, new MessageTypes()).join()) {
                ring.awaitRing(PROCESSES + 1, Duration.ofMinutes(3));

                Random random = new Random(11);
                List<ContentHashBlock> blocks = new ArrayList<>();
                for (int batch = 0; batch < BLOCKS / 50; batch++) {
                    List<CompletableFuture<InsertResult>> inserts = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        byte[] content = new byte[512 + random.nextInt(3584)];
                        random.nextBytes(content);
                        ContentHashBlock block = ContentHashBlock.of(content);
                        blocks.add(block);
                        inserts.add(client.past().insert(block, System.currentTimeMillis() + Duration.ofDays(1).toMillis()));
                    }
                    for (CompletableFuture<InsertResult> insert : inserts) {
                        InsertResult result = insert.get(2, TimeUnit.MINUTES);
                        assertThat(result.status()).as(result.detail()).isEqualTo(InsertResult.Status.SUCCESS);
                        assertThat(result.holders()).hasSize(K);
                    }
                }
                // At least k: on a loaded machine a holder that answers late is replaced by the next closest node
                // and may still store its copy, so a block can briefly have one replica more (never fewer).
                assertThat(holderCounts(ring, client).values()).as("replicas per block after insert").allMatch(count -> count >= K);

                int victim = busiestProcess(ring);
                ring.kill(victim);
                long killedAt = System.nanoTime();

                for (ContentHashBlock block : blocks) {
                    Optional<Block> read = client.past().lookup(block.key()).get(2, TimeUnit.MINUTES);
                    assertThat(read).as("block " + block.handle()).isPresent();
                    assertThat(read.get().encoded()).isEqualTo(block.encoded());
                }

                double readAll = (System.nanoTime() - killedAt) / 1e9;
                Map<String, Integer> counts = holderCounts(ring, client);
                while (counts.size() < BLOCKS || counts.values().stream().anyMatch(count -> count < K)) {
                    assertThat(System.nanoTime() - killedAt).as("replicas restored in bounded time: " + under(counts))
                        .isLessThan(Duration.ofMinutes(5).toNanos());
                    Thread.sleep(1_000);
                    counts = holderCounts(ring, client);
                }
                System.out.printf("after the kill: all %d blocks read in %.1f s; every block back on k=%d live holders %.1f s after the kill%n",
                    BLOCKS, readAll, K, (System.nanoTime() - killedAt) / 1e9);
                assertThat(counts).hasSize(BLOCKS);
            }
        }
    }

    /** How many live nodes hold each block, keyed "KIND:handle". */
    private static Map<String, Integer> holderCounts(LocalOverlayRing ring, OverlayNode client) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < ring.processes(); i++) {
            if (ring.alive(i)) {
                for (String key : ring.held(i)) {
                    counts.merge(key, 1, Integer::sum);
                }
            }
        }
        client.onNodeThread(() -> {
            client.past().store().forEachInRange(org.epost.overlay.id.Id.fromHex("0".repeat(40)),
                org.epost.overlay.id.Id.fromHex("f".repeat(40)), key -> counts.merge(key.kind() + ":" + key.handle().toHex(), 1, Integer::sum));
            return null;
        }).get(1, TimeUnit.MINUTES);
        return counts;
    }

    private static int busiestProcess(LocalOverlayRing ring) throws Exception {
        int busiest = 0;
        int most = -1;
        for (int i = 0; i < ring.processes(); i++) {
            Set<String> held = ring.held(i);
            if (held.size() > most) {
                most = held.size();
                busiest = i;
            }
        }
        return busiest;
    }

    private static String under(Map<String, Integer> counts) {
        return counts.values().stream().filter(count -> count < K).count() + " blocks under k, " + counts.size() + " blocks seen";
    }
}
