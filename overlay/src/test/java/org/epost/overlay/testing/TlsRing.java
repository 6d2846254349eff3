package org.epost.overlay.testing;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

/**
 * Overlay nodes of one organization (a fresh node CA, certificates for a day) started in the test's JVM on real TCP +
 * TLS links at consecutive ports of 127.0.0.1, each with its own block store under the given directory: the one
 * node-start code of the TLS ring tests. Started, not joined: a test can put services on the nodes first, then
 * {@link #join()}.
 */
public final class TlsRing implements AutoCloseable {
    /**
     * What the nodes are started with: block store quota, PAST settings of node i, a fresh registry of message
     * types (with the caller's own types), and the key that signs certificate blocks (null: the node CA's).
     */
    public record Setup(long storeQuotaBytes, IntFunction<PastConfig> past, Supplier<MessageTypes> types,
                        PublicKey certificateBlockAuthority, PastryConfig pastry) {
        /** 16 MiB stores, default PAST and Pastry, overlay message types only, no user CA. */
        public static Setup defaults() {
            return new Setup(16L << 20, i -> PastConfig.defaults(), MessageTypes::new, null, PastryConfig.defaults());
        }

        public Setup withPast(IntFunction<PastConfig> perNode) {
            return new Setup(storeQuotaBytes, perNode, types, certificateBlockAuthority, pastry);
        }

        public Setup withPastry(PastryConfig every) {
            return new Setup(storeQuotaBytes, past, types, certificateBlockAuthority, every);
        }
    }

    public final KeyPair caKeys;
    public final List<OverlayNode> nodes = new ArrayList<>();
    /** Node i's certified key, as it was started with. */
    public final List<NodeCredentials> credentials = new ArrayList<>();

    private TlsRing(KeyPair caKeys) {
        this.caKeys = caKeys;
    }

    /** Starts {@code count} nodes from {@code firstPort} on, node i storing under {@code storage/node<i>}. */
    public static TlsRing start(Path storage, int firstPort, int count, Setup setup) throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        TlsRing ring = new TlsRing(NodeCertificates.generateKeyPair());
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
                ring.credentials.add(credentials);
                OverlayNodeConfig config = new OverlayNodeConfig(new InetSocketAddress("127.0.0.1", firstPort + i),
                        addresses.get(i), addresses, setup.pastry(), WireFormat.DEFAULT_MAX_FRAME_BYTES,
                        storage.resolve("node" + i), StoreConfig.withQuota(setup.storeQuotaBytes()),
                        setup.past().apply(i));
                ring.nodes.add(setup.certificateBlockAuthority() == null
                        ? OverlayNode.start(credentials, config, setup.types().get())
                        : OverlayNode.start(credentials, config, setup.types().get(),
                                setup.certificateBlockAuthority()));
            }
        } catch (Exception e) {
            ring.close();
            throw e;
        }
        return ring;
    }

    /** Has every node join the ring; {@link #formed()} tells when it has. */
    public TlsRing join() {
        nodes.forEach(OverlayNode::join);
        return this;
    }

    /** Whether every node's leaf set holds all the others within {@link RealNodes#WAIT_MILLIS}. */
    public boolean formed() throws InterruptedException {
        return RealNodes.await(() -> nodes.stream()
                .allMatch(node -> RealNodes.leafSet(node).size() == nodes.size() - 1));
    }

    /**
     * Whether every node's leaf set holds exactly its {@code leafSetSize / 2} neighbours on each side of the ring (all
     * others on a smaller ring): a leaf set that is merely full may still hold a farther node while joins settle, and
     * a node that does not know a handle's closest node yet takes itself for the root. Concurrent joins used to leave
     * a wrong leaf set for up to the gossip round (a minute) after the last join; leaf-set pushes settle it in a few
     * round trips ({@code LeafSetConvergenceTest}).
     */
    public boolean formed(int leafSetSize) throws InterruptedException {
        List<Id> ring = nodes.stream().map(node -> node.transport().localHandle().id()).sorted().toList();
        return RealNodes.await(() -> nodes.stream().allMatch(node -> {
            Id self = node.transport().localHandle().id();
            Set<Id> held = RealNodes.leafSet(node).stream().map(NodeHandle::id).collect(Collectors.toSet());
            return held.equals(neighbours(ring, self, leafSetSize / 2));
        }));
    }

    /** The {@code perSide} nodes either side of {@code self} on the sorted {@code ring}. */
    private static Set<Id> neighbours(List<Id> ring, Id self, int perSide) {
        int at = ring.indexOf(self);
        Set<Id> expected = new HashSet<>();
        for (int step = 1; step <= perSide; step++) {
            expected.add(ring.get(Math.floorMod(at + step, ring.size())));
            expected.add(ring.get(Math.floorMod(at - step, ring.size())));
        }
        expected.remove(self);
        return expected;
    }

    /** A block whose handle is closer to {@code root} than to any other node of {@code nodes}. */
    public static ContentHashBlock blockRootedAt(List<OverlayNode> nodes, Id root) {
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
