package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.testing.RealNodes;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.testing.TappedOverlay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 finding 2 over real TCP + TLS links (ports 49950-49953): four overlay nodes in one JVM, each with its CA
 * certificate, PAST, Scribe, accounts and the notification service, signing acks with its certified node key. Bob's
 * peer is stopped, so Alice's peer delegates; the honest delegates have no room and do not ack. Mallory, a delegate
 * with a valid certificate, acks every delegation without keeping it, repeats its ack, and sends acks in the names of
 * the other two delegates (signed with its own key): Alice's peer counts Mallory once, refuses the forged acks, and
 * the send fails instead of completing (no 250 for a mail nobody keeps).
 */
class HostileDelegateTlsRingTest {
    private static final int FIRST_PORT = 49950;
    private static final int NODES = 4;
    private static final long WAIT_MILLIS = TlsNotificationRing.WAIT_MILLIS;
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    /** Short timeouts (a receipt, each of two delegation attempts) so that the send gives up within seconds. */
    private static final NotificationService.Settings SETTINGS = new NotificationService.Settings(3_000, 4_000, 2, 3,
        60_000, 86_400_000L);

    @TempDir
    Path directory;

    private TlsNotificationRing ring;

    @AfterEach
    void stop() {
        if (ring != null) {
            ring.close();
        }
    }

    @Test
    void aHostileDelegateAckingWithoutKeepingAndForgingOthersAcksCannotCompleteASend() throws Exception {
        List<Message> atMallory = new ArrayList<>();
        // Mallory (the last node) runs the real service behind a tap: it sees the delegations it is sent; no delegate
        // has room for the notification: none keeps it, so none acks honestly
        ring = new TlsNotificationRing(directory, FIRST_PORT, NODES, 16L << 20, SETTINGS,
            new TlsNotificationRing.Parts() {
                @Override
                public List<Consumer<Message>> taps(int node) {
                    return node != NODES - 1 ? List.of() : List.of(m -> {
                        synchronized (atMallory) {
                            atMallory.add(m);
                        }
                    });
                }

                @Override
                public NotificationSink sink(int node) {
                    return (n, sender) -> CompletableFuture.completedFuture(null);
                }

                @Override
                public DelegateStore store(int node) {
                    return DelegateStore.inMemory(1024);
                }
            });
        List<OverlayNode> nodes = ring.nodes;
        List<NotificationService> services = ring.services;
        TappedOverlay malloryOverlay = ring.overlays.get(NODES - 1);
        List<NodeCredentials> credentials = ring.credentials;
        OverlayNode alicePeer = nodes.get(0);
        OverlayNode bobPeer = nodes.get(1);
        OverlayNode mallory = nodes.get(NODES - 1);
        OverlayNode honest = nodes.get(2);
        ring.provision(0, ALICE);
        ring.provision(1, BOB);
        bobPeer.close();
        nodes.remove(bobPeer);
        assertThat(RealNodes.await(() -> RealNodes.leafSet(alicePeer).size() == NODES - 2)).as("bob's peer is gone").isTrue();

        Notification n = Notification.create(ALICE, BOB, "held", System.currentTimeMillis(),
            List.of(new byte[4096]), 4096);
        NotificationService alice = services.get(0);
        Id malloryId = mallory.transport().localHandle().id();
        List<Id> others = List.of(alicePeer.transport().localHandle().id(), honest.transport().localHandle().id());
        NodeCredentials malloryKey = credentials.get(NODES - 1);
        TappedOverlay malloryEndpoint = malloryOverlay;
        CompletableFuture<NotificationService.Outcome> send = alicePeer.onNodeThread(() -> alice.send(n))
            .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        List<Id> lied = new ArrayList<>();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!send.isDone() && System.currentTimeMillis() < deadline) {
            for (NotifyDelegate delegation : delegationsOf(atMallory, n)) {
                if (lied.contains(delegation.key())) {
                    continue;
                }
                lied.add(delegation.key());
                mallory.onNodeThread(() -> {
                    NotifyKept own = kept(n, delegation.key(), malloryId, 0, malloryKey);
                    for (int i = 0; i < 3; i++) {
                        malloryEndpoint.endpoint().routeDirect(delegation.origin(), own);
                    }
                    for (int i = 0; i < others.size(); i++) {
                        malloryEndpoint.endpoint().routeDirect(delegation.origin(),
                            kept(n, delegation.key(), others.get(i), i + 1, malloryKey));
                    }
                    return null;
                }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            Thread.sleep(100);
        }

        assertThat(send).isDone();
        assertThat(send).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(NotificationException.class);
        assertThat(lied).as("mallory lied to every delegation attempt it saw").isNotEmpty();
        long attempts = lied.size();
        assertThat(alice.counter("acks-repeated")).as("mallory's own ack counted once, its repeats not")
            .isGreaterThanOrEqualTo(2 * attempts);
        assertThat(alice.counter("rejected.ack")).as("acks in others' names refused").isGreaterThanOrEqualTo(2 * attempts);
        assertThat(services.stream().mapToLong(s -> s.counter("kept-acks-sent")).sum()).isZero();
        assertThat(services.stream().mapToLong(s -> s.counter("rejected.delegation-full")).sum()).isPositive();
    }

    private static List<NotifyDelegate> delegationsOf(List<Message> seen, Notification n) {
        synchronized (seen) {
            return seen.stream().filter(m -> m instanceof NotifyDelegate d && Arrays.equals(d.id(), n.id()))
                .map(NotifyDelegate.class::cast).toList();
        }
    }

    private static NotifyKept kept(Notification n, Id key, Id delegate, int position, NodeCredentials signer) {
        CertifiedNodeSignatures signatures = new CertifiedNodeSignatures(signer, System::currentTimeMillis);
        byte[] encoded = new DelegationAck(n.id(), key, delegate, position, 3).encode();
        return new NotifyKept(encoded, signatures.sign(encoded), signatures.credential());
    }
}
