package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three overlay nodes on real TCP + TLS links (ports 49700-49702): when a revocation list naming one of them reaches
 * another, the revoked node is gone from that node's leaf set and routing table at once, before any of its closed links
 * could have been noticed and probed.
 */
class RevokedNodeRoutingTest {
    private static final int NODES = 3;
    private static final int FIRST_PORT = 49700;
    private static final long WAIT_MILLIS = 60_000;

    private final List<OverlayNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(OverlayNode::close);
    }

    @Test
    void aRevokedNodeLeavesTheRoutingStateAsTheListArrives(@TempDir Path storage) throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        KeyPair caKeys = NodeCertificates.generateKeyPair();
        X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", now, Duration.ofDays(1));
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            addresses.add("127.0.0.1:" + (FIRST_PORT + i));
        }
        for (int i = 0; i < NODES; i++) {
            KeyPair keys = NodeCertificates.generateKeyPair();
            NodeCredentials credentials = new NodeCredentials(keys.getPrivate(), NodeCertificates.issueNodeCertificate(
                caKeys, ca, keys.getPublic(), "node" + i, now, Duration.ofDays(1)), ca);
            nodes.add(OverlayNode.start(credentials, new OverlayNodeConfig(new InetSocketAddress("127.0.0.1",
                FIRST_PORT + i), addresses.get(i), addresses, PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES,
                storage.resolve("node" + i), StoreConfig.withQuota(16L << 20), PastConfig.defaults()), new MessageTypes()));
        }
        nodes.forEach(OverlayNode::join);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline && !nodes.stream().allMatch(n -> status(n).leafSet().size() == NODES - 1)) {
            Thread.sleep(200);
        }
        OverlayNode observer = nodes.get(0);
        Id revoked = nodes.get(NODES - 1).transport().localHandle().id();
        assertThat(status(observer).leafSet()).extracting(NodeHandle::id).contains(revoked);

        observer.transport().revocations().offer(RevocationList.sign(caKeys.getPrivate(), 1, Instant.now(),
            Instant.now().plusSeconds(86_400), Set.of(revoked), Set.of()));

        // asked right away: the node thread forgot the node before it answers
        assertThat(status(observer).leafSet()).extracting(NodeHandle::id).doesNotContain(revoked)
            .contains(nodes.get(1).transport().localHandle().id());
        assertThat(observer.onNodeThread(() -> observer.pastry().routingTableEntries()).get(WAIT_MILLIS,
            TimeUnit.MILLISECONDS)).extracting(NodeHandle::id).doesNotContain(revoked);
    }

    private static RingStatus status(OverlayNode node) {
        try {
            return node.status().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
