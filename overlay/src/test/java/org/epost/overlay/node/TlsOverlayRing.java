package org.epost.overlay.node;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

/**
 * Overlay nodes of one organization (a fresh node CA, certificates for a day) on real TCP + TLS links at consecutive
 * ports of 127.0.0.1, each with its own block store under {@code storage} (16 MiB), all joining one ring.
 */
final class TlsOverlayRing implements AutoCloseable {
    final KeyPair caKeys;
    final List<OverlayNode> nodes = new ArrayList<>();

    private TlsOverlayRing(KeyPair caKeys) {
        this.caKeys = caKeys;
    }

    /** Starts {@code count} nodes from {@code firstPort} on, node i with PAST settings {@code past.apply(i)}. */
    static TlsOverlayRing start(Path storage, int firstPort, int count, IntFunction<PastConfig> past)
            throws Exception {
        return start(storage, firstPort, count, PastryConfig.defaults(), past);
    }

    /** As {@link #start(Path, int, int, IntFunction)}, every node with the Pastry settings {@code pastry}. */
    static TlsOverlayRing start(Path storage, int firstPort, int count, PastryConfig pastry,
                                IntFunction<PastConfig> past) throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        TlsOverlayRing ring = new TlsOverlayRing(NodeCertificates.generateKeyPair());
        X509Certificate ca = NodeCertificates.createAuthority(ring.caKeys, "Test Org", now, Duration.ofDays(1));
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0.1:" + (firstPort + i));
        }
        try {
            for (int i = 0; i < count; i++) {
                KeyPair keys = NodeCertificates.generateKeyPair();
                NodeCredentials credentials = new NodeCredentials(keys.getPrivate(), NodeCertificates
                        .issueNodeCertificate(ring.caKeys, ca, keys.getPublic(), "node" + i, now, Duration.ofDays(1)),
                        ca);
                ring.nodes.add(OverlayNode.start(credentials, new OverlayNodeConfig(new InetSocketAddress("127.0.0.1",
                        firstPort + i), addresses.get(i), addresses, pastry,
                        WireFormat.DEFAULT_MAX_FRAME_BYTES, storage.resolve("node" + i),
                        StoreConfig.withQuota(16L << 20), past.apply(i)), new MessageTypes()));
            }
        } catch (Exception e) {
            ring.close();
            throw e;
        }
        ring.nodes.forEach(OverlayNode::join);
        return ring;
    }

    /** Whether every node's leaf set holds all the others within {@link RealNodes#WAIT_MILLIS}. */
    boolean formed() throws InterruptedException {
        return RealNodes.await(() -> nodes.stream().allMatch(node -> RealNodes.leafSet(node).size() == nodes.size() - 1));
    }

    /** Whether every node's leaf set is full ({@code leafSetSize} nodes, or all others on a smaller ring). */
    boolean formed(int leafSetSize) throws InterruptedException {
        int full = Math.min(leafSetSize, nodes.size() - 1);
        return RealNodes.await(() -> nodes.stream().allMatch(node -> RealNodes.leafSet(node).size() == full));
    }

    /** A block whose handle is closer to {@code root} than to any other node of {@code nodes}. */
    static ContentHashBlock blockRootedAt(List<OverlayNode> nodes, Id root) {
        for (int i = 0; ; i++) {
            ContentHashBlock block = ContentHashBlock.of(("block " + i).getBytes(StandardCharsets.UTF_8));
            Id closest = nodes.stream().map(node -> node.transport().localHandle().id())
                    .min(Comparator.comparing(id -> id.distance(block.handle()))).orElseThrow();
            if (closest.equals(root)) {
                return block;
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(OverlayNode::close);
    }
}
