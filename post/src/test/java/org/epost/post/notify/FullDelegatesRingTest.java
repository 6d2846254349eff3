package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.assertj.core.api.Assertions;
import org.epost.overlay.id.Id;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.testing.SimNodeSignatures;
import org.epost.post.testing.PostRing;
import org.epost.post.testing.PostRing.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 finding 2 on a simulated 12-node ring: with the recipient's peer down, a delegated send completes only
 * when k delegates said they kept the notification. Delegates whose store is full refuse and do not ack, so the sender
 * tries fresh keys and then fails (SMTP answers 451): no 250 for a mail nobody keeps; nor does one that a hostile
 * delegate claims to keep while forging, relaying and replaying acks over the ring.
 */
class FullDelegatesRingTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";

    @TempDir
    Path directory;

    private static Notification notification(PostRing ring, int bytes) {
        return Notification.create(ALICE, BOB, "held", ring.scheduler().now(), List.of(new byte[bytes]), bytes);
    }

    @Test
    void delegatesWithoutRoomDoNotAckAndTheSendFails() {
        // each delegate keeps at most 2 KiB for others, 1 KiB from any one sending peer
        PostRing ring = new PostRing(12, 5, directory, PostRing.Options.defaults().withDelegateQuotaBytes(2048));
        Node alicePeer = ring.node(1);
        Node bobPeer = ring.node(9);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);
        ring.crash(bobPeer);
        ring.scheduler().runFor(60_000);

        Notification small = Notification.create(ALICE, BOB, "small", ring.scheduler().now(),
                List.of("part".getBytes(StandardCharsets.UTF_8)), 4);
        assertThat(ring.await(alicePeer.notifications().send(small))).isEqualTo(Outcome.DELEGATED);
        assertThat(ring.keepers(small.idHex())).hasSize(3);

        Notification large = notification(ring, 4096);
        CompletableFuture<Outcome> send = alicePeer.notifications().send(large);
        assertThat(ring.runUntil(send::isDone, 10 * 60_000)).isTrue();
        Assertions.assertThatThrownBy(send::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NotificationException.class).hasMessageContaining("nor accepted by delegates");
        assertThat(ring.keepers(large.idHex())).isEmpty();
        assertThat(ring.nodes().stream().mapToLong(n -> n.notifications().counter("rejected.delegation-full"))
                .sum()).as("delegates refused for want of room").isGreaterThanOrEqualTo(3);
        // one delegation for the small notification, then every attempt for the large one, each to a fresh key
        assertThat(alicePeer.notifications().counter("delegations-started"))
                .isEqualTo(1 + NotificationService.Settings.defaults().delegationAttempts());
    }

    /** A delegation a node got: which node, under which key. */
    private record Seen(Node node, Id key) {
    }

    private static NotifyKept ack(Notification n, Id key, Id delegate, int position, SimNodeSignatures signer) {
        byte[] encoded = new DelegationAck(n.id(), key, delegate, position, 3).encode();
        return new NotifyKept(encoded, signer.sign(encoded), signer.credential());
    }

    @Test
    void aDelegateAckingWithoutKeepingWithForgedRelayedAndReplayedAcksCannotCompleteTheSend() {
        PostRing ring = new PostRing(12, 5, directory, PostRing.Options.defaults().withDelegateQuotaBytes(2048));
        Node alicePeer = ring.node(1);
        Node bobPeer = ring.node(9);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);
        ring.crash(bobPeer);
        ring.scheduler().runFor(60_000);
        Notification large = notification(ring, 4096);
        List<Seen> seen = new ArrayList<>();
        for (Node node : ring.nodes()) {
            if (node != alicePeer && !node.isCrashed()) {
                node.tap(m -> {
                    if (m instanceof NotifyDelegate d && Arrays.equals(d.id(), large.id())) {
                        seen.add(new Seen(node, d.key()));
                    }
                });
            }
        }
        CompletableFuture<Outcome> send = alicePeer.notifications().send(large);
        assertThat(ring.runUntil(() -> !seen.isEmpty(), 10 * 60_000)).isTrue();
        // mallory got the delegation (none of the delegates has room: nobody keeps it) and lies
        Node mallory = seen.get(0).node();
        Id key = seen.get(0).key();
        SimNodeSignatures malloryKey = ring.keyring().of(mallory.handle().id());
        NotifyKept lie = ack(large, key, mallory.handle().id(), 0, malloryKey);
        for (int i = 0; i < 3; i++) {
            mallory.sendRaw(alicePeer.handle(), lie);
        }
        // acks in the name of two other nodes: signed by keys that are not theirs, and sent by mallory
        List<Node> others = ring.nodes().stream().filter(n -> n != mallory && n != alicePeer && !n.isCrashed())
                .limit(2).toList();
        for (int i = 0; i < others.size(); i++) {
            Id other = others.get(i).handle().id();
            mallory.sendRaw(alicePeer.handle(), ack(large, key, other, i + 1, ring.keyring().unregistered(other)));
        }
        assertThat(ring.runUntil(send::isDone, 10 * 60_000)).isTrue();

        Assertions.assertThatThrownBy(send::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NotificationException.class);
        assertThat(ring.keepers(large.idHex())).isEmpty();
        assertThat(alicePeer.notifications().counter("acks-repeated")).isEqualTo(2);
        assertThat(alicePeer.notifications().counter("rejected.ack")).isEqualTo(2);
    }
}
