package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.notify.TlsNotificationRing.WAIT_MILLIS;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.testing.RealNodes;
import org.epost.post.notify.messages.NotifyDelegate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, per-sender fairness over real TCP + TLS links (ports 30500-30502): three overlay nodes in one JVM with
 * PAST, accounts and the notification service ({@link TlsNotificationRing}). Mallory, with a valid node certificate,
 * floods Bob's peer (the victim) with 40 delegations of 2 MiB (80 MiB, well over a node's 32 MiB per minute) sent
 * straight over its link, then Alice's peer sends Bob a notification, and later delegates one of its own to the
 * victim. The victim keeps at most Mallory's budget and refuses the rest (counted); Alice's notification reaches Bob
 * and the victim keeps Alice's delegation: one node's flood does not use up another's share.
 */
class DelegationFloodTlsRingTest {
    private static final int FIRST_PORT = 30500;
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final String NOBODY = "nobody@example.org";
    private static final int ALICE_PEER = 0;
    private static final int BOB_PEER = 1;
    private static final int MALLORY = 2;
    private static final int FLOOD = 40;
    private static final int BOX_BYTES = 2 << 20;
    private static final NotificationService.Settings SETTINGS = new NotificationService.Settings(30_000, 30_000, 2,
        3, 60_000, 86_400_000L);

    @TempDir
    Path directory;

    private TlsNotificationRing ring;
    private final Set<String> deliveredToBob = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        if (ring != null) {
            ring.close();
        }
    }

    @Test
    void aNodeFloodingDelegationsIsHeldToItsBudgetWhileAnHonestPeersMailGoesThrough() throws Exception {
        ring = new TlsNotificationRing(directory, FIRST_PORT, 3, 64L << 20, SETTINGS, new TlsNotificationRing.Parts() {
            @Override
            public List<Consumer<Message>> taps(int node) {
                return List.of();
            }

            @Override
            public NotificationSink sink(int node) {
                return (n, sender) -> {
                    if (node == BOB_PEER) {
                        deliveredToBob.add(n.idHex());
                    }
                    return CompletableFuture.completedFuture(null);
                };
            }

            @Override
            public DelegateStore store(int node) {
                return DelegateStore.inMemory(512L << 20);
            }
        });
        ring.provision(ALICE_PEER, ALICE);
        ring.provision(BOB_PEER, BOB);
        OverlayNode alicePeer = ring.nodes.get(ALICE_PEER);
        OverlayNode mallory = ring.nodes.get(MALLORY);
        NodeHandle victim = ring.nodes.get(BOB_PEER).transport().localHandle();
        NodeHandle malloryHandle = mallory.transport().localHandle();
        Random random = new Random(15);
        mallory.onNodeThread(() -> {
            for (int i = 0; i < FLOOD; i++) {
                ring.overlays.get(MALLORY).endpoint().routeDirect(victim, delegation(random, malloryHandle,
                    BOX_BYTES));
            }
            return null;
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);

        Notification toBob = Notification.create(ALICE, BOB, "during the flood", System.currentTimeMillis(),
            List.of(new byte[4096]), 4096);
        NotificationService alice = ring.services.get(ALICE_PEER);
        CompletableFuture<NotificationService.Outcome> send = alicePeer.onNodeThread(() -> alice.send(toBob))
            .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(RealNodes.await(() -> deliveredToBob.contains(toBob.idHex())))
            .as("alice's notification reached bob's peer during the flood").isTrue();
        assertThat(send.get(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(NotificationService.Outcome.DELIVERED);
        assertThat(RealNodes.await(() -> ring.counter(BOB_PEER, "kept")
            + ring.counter(BOB_PEER, "rejected.delegation-budget") >= FLOOD))
            .as("the victim took in all of mallory's delegations").isTrue();

        long refused = ring.counter(BOB_PEER, "rejected.delegation-budget");
        long kept = ring.counter(BOB_PEER, "kept");
        // a minute's budget (32 MiB: 16 boxes) at once, plus what refills while the flood comes in
        assertThat(refused).as("mallory's delegations over its budget were refused").isPositive();
        assertThat(kept).isLessThan(FLOOD);
        assertThat(kept + refused).isEqualTo(FLOOD);

        // alice's peer's own delegation (straight over its link, as a root's copy would come) is still kept
        NodeHandle aliceHandle = alicePeer.transport().localHandle();
        alicePeer.onNodeThread(() -> {
            ring.overlays.get(ALICE_PEER).endpoint().routeDirect(victim, delegation(random, aliceHandle, 8192));
            return null;
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(RealNodes.await(() -> ring.counter(BOB_PEER, "kept") == kept + 1))
            .as("alice's peer's delegation kept despite mallory's flood").isTrue();
        assertThat(ring.counter(BOB_PEER, "rejected.delegation-budget")).isEqualTo(refused);
    }

    /**
     * A delegation of a random box for a user without a certificate, to keep as the root of a random key: kept (and
     * counted) first, then dropped once the lookup finds no certificate, so that the flood costs the ring no more.
     */
    private static NotifyDelegate delegation(Random random, NodeHandle origin, int boxBytes) {
        byte[] id = new byte[Notification.ID_BYTES];
        random.nextBytes(id);
        byte[] box = new byte[boxBytes];
        random.nextBytes(box);
        return new NotifyDelegate(Id.random(random), id, NOBODY, box, origin, false);
    }
}
