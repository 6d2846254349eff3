package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.scribe.ScribeClient;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Five overlay nodes on real TCP+TLS links on loopback, started together from one bootstrap list. */
class OverlayNodeTest {
    record Ping(Id key, int from) implements Message {
    }

    /** Where a ping was delivered. */
    record Delivery(int at, Id key) {
    }

    private static final int NODES = 5;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<OverlayNode> nodes = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        nodes.forEach(OverlayNode::close);
    }

    @Test
    void nodesStartedTogetherFormOneRingAndRouteToTheClosestNode(@TempDir Path storage) throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        KeyPair caKeys = NodeCertificates.generateKeyPair();
        X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", now, Duration.ofDays(1));
        List<Integer> ports = freePorts(NODES);
        List<String> addresses = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        PastryConfig pastry = PastryConfig.defaults();

        for (int i = 0; i < NODES; i++) {
            KeyPair keys = NodeCertificates.generateKeyPair();
            NodeCredentials credentials = new NodeCredentials(keys.getPrivate(),
                NodeCertificates.issueNodeCertificate(caKeys, ca, keys.getPublic(), "node" + i, now, Duration.ofDays(1)), ca);
            OverlayNodeConfig config = new OverlayNodeConfig(new InetSocketAddress("127.0.0.1", ports.get(i)),
                addresses.get(i), addresses, pastry, WireFormat.DEFAULT_MAX_FRAME_BYTES, storage.resolve("node" + i),
                StoreConfig.withQuota(64L << 20), PastConfig.defaults());
            OverlayNode node = OverlayNode.start(credentials, config, new MessageTypes().register("test.ping", Ping.class));
            int index = i;
            endpoints.add(node.onNodeThread(() -> node.pastry().registerApplication("test", new Application() {
                @Override
                public void deliver(Id key, Message msg) {
                    deliveries.add(new Delivery(index, key));
                }
            })).get());
            nodes.add(node);
        }
        nodes.forEach(OverlayNode::join);

        awaitFullLeafSets();
        for (OverlayNode node : nodes) {
            RingStatus status = node.status().get();
            assertThat(status.ready()).isTrue();
            assertThat(status.leafSet()).hasSize(NODES - 1);
            assertThat(status.ringSizeEstimate()).isEqualTo(NODES);
        }

        Random random = new Random(1);
        for (int n = 0; n < 20; n++) {
            Id key = Id.random(random);
            int from = random.nextInt(NODES);
            nodes.get(from).onNodeThread(() -> {
                endpoints.get(from).route(key, new Ping(key, from), null);
                return null;
            }).get();
            Delivery delivery = deliveries.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(delivery).isNotNull();
            assertThat(delivery.key()).isEqualTo(key);
            assertThat(delivery.at()).as("closest node to " + key).isEqualTo(closestTo(key));
        }

        // Scribe runs on every node: members of a group receive what a non-member publishes.
        Id group = Id.hash("group of alice");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        for (int member : new int[] {1, 3}) {
            nodes.get(member).scribe().join(group, new ScribeClient() {
                @Override
                public void deliver(Id groupId, Message message) {
                    received.add(member + ":" + ((Ping) message).from());
                }
            });
        }
        List<String> got = new ArrayList<>();
        for (int attempt = 0; attempt < 60 && got.size() < 2; attempt++) {
            // Joins travel the overlay asynchronously; publish until both members have heard one.
            got.clear();
            received.clear();
            nodes.get(4).scribe().publish(group, new Ping(group, 4));
            for (String item; (item = received.poll(1, TimeUnit.SECONDS)) != null; ) {
                got.add(item);
            }
        }
        assertThat(got).containsExactlyInAnyOrder("1:4", "3:4");

        // PAST runs on every node: blocks inserted at one node are stored on k nodes and read back from another.
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            ContentHashBlock block = ContentHashBlock.of(("block " + n).getBytes(StandardCharsets.UTF_8));
            InsertResult inserted = nodes.get(0).past().insert(block, System.currentTimeMillis() + 3_600_000).get(60, TimeUnit.SECONDS);
            assertThat(inserted.status()).isEqualTo(InsertResult.Status.SUCCESS);
            assertThat(inserted.holders()).hasSize(3);
            blocks.add(block);
        }
        for (ContentHashBlock block : blocks) {
            Optional<Block> read = nodes.get(4).past().lookup(block.key()).get(60, TimeUnit.SECONDS);
            assertThat(read).isPresent();
            assertThat(read.get().key()).isEqualTo(block.key());
            assertThat(read.get().encoded()).isEqualTo(block.encoded());
        }
    }

    private int closestTo(Id key) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            indexes.add(i);
        }
        return indexes.stream()
            .min(Comparator.comparing(i -> nodes.get(i).transport().localHandle().id().distance(key)))
            .orElseThrow();
    }

    private void awaitFullLeafSets() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean complete = true;
            for (OverlayNode node : nodes) {
                RingStatus status = node.status().get();
                complete &= status.ready() && status.leafSet().size() == NODES - 1;
            }
            if (complete) {
                return;
            }
            Thread.sleep(200);
        }
        for (OverlayNode node : nodes) {
            System.err.println("not converged: " + node.status().get());
        }
    }

    private static List<Integer> freePorts(int count) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
