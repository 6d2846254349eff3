package org.epost.overlay.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
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
                        PublicKey certificateBlockAuthority) {
        /** 16 MiB stores, default PAST, overlay message types only, no user CA. */
        public static Setup defaults() {
            return new Setup(16L << 20, i -> PastConfig.defaults(), MessageTypes::new, null);
        }

        public Setup withPast(IntFunction<PastConfig> perNode) {
            return new Setup(storeQuotaBytes, perNode, types, certificateBlockAuthority);
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
                        addresses.get(i), addresses, PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES,
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

    @Override
    public void close() {
        nodes.forEach(OverlayNode::close);
    }
}
