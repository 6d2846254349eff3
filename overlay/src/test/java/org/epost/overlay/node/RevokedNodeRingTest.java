package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.testing.TlsRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four overlay nodes on real TCP + TLS links (ports 48200-48203); the organization revokes one, whose certificate is
 * still valid: the others drop it from their leaf sets and routing tables as the list arrives, close its links, refuse
 * it again and keep working without it.
 */
class RevokedNodeRingTest {
    private static final int NODES = 4;
    private static final int FIRST_PORT = 48200;
    private static final long WAIT_MILLIS = RealNodes.WAIT_MILLIS;

    private TlsRing ring;

    @AfterEach
    void stop() {
        if (ring != null) {
            ring.close();
        }
    }

    @Test
    void aRevokedNodeIsCutOffFromTheRingWhichCarriesOnWithoutIt(@TempDir Path storage) throws Exception {
        ring = TlsRing.start(storage, FIRST_PORT, NODES, TlsRing.Setup.defaults()).join();
        List<OverlayNode> nodes = ring.nodes;
        KeyPair caKeys = ring.caKeys;
        assertThat(ring.formed()).as("the ring forms").isTrue();
        OverlayNode revoked = nodes.get(NODES - 1);
        Id revokedId = revoked.transport().localHandle().id();
        List<OverlayNode> honest = nodes.subList(0, NODES - 1);

        RevocationList list = RevocationList.sign(caKeys.getPrivate(), 1, Instant.now(), Instant.now().plusSeconds(86_400),
            Set.of(revokedId), Set.of());
        honest.forEach(node -> node.transport().revocations().offer(list));

        // asked right away: each node thread forgot the revoked node before answering, before its closed links were
        // noticed (which alone would only have made it suspect, then dead after probes)
        for (OverlayNode node : honest) {
            assertThat(RealNodes.leafSet(node)).extracting(NodeHandle::id).doesNotContain(revokedId);
            assertThat(node.onNodeThread(() -> node.pastry().routingTableEntries()).get(WAIT_MILLIS,
                TimeUnit.MILLISECONDS)).extracting(NodeHandle::id).doesNotContain(revokedId);
        }

        assertThat(RealNodes.await(() -> honest.stream().allMatch(node -> RealNodes.leafSet(node).size() == NODES - 2
            && RealNodes.leafSet(node).stream().noneMatch(handle -> handle.id().equals(revokedId)))))
            .as("every honest node dropped the revoked one from its leaf set").isTrue();
        assertThat(RealNodes.await(() -> RealNodes.leafSet(revoked).isEmpty())).as("the revoked node lost every link")
            .isTrue();
        ContentHashBlock block = ContentHashBlock.of("after the revocation".getBytes(StandardCharsets.UTF_8));
        InsertResult inserted = honest.get(0).past().insert(block, System.currentTimeMillis() + 3_600_000)
            .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(inserted.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(inserted.holders()).hasSize(NODES - 1).noneMatch(holder -> holder.id().equals(revokedId));
        assertThat(honest.stream().allMatch(node -> node.transport().openLinks() <= NODES - 2)).isTrue();
    }
}
