package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.post.crypto.Signatures;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.messages.NotifyRefusal;
import org.epost.post.testing.PostRing;
import org.epost.post.testing.PostRing.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, no silent loss after a delegated 250: the recipient's peer is down at send time (the send is delegated),
 * and when it comes back the recipient is over quota. Its signed refusal reaches the delegates, they forward it to the
 * sending peer, which hands it once to its bounce listener; a forged refusal bounces nothing.
 */
class LateRefusalRingTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";

    @TempDir
    Path directory;

    private record Bounce(Notification notification, String returnPath, RefusalReason reason) {
    }

    @Test
    void aRefusalAfterDelegationReachesTheSendingPeerOnceAndAForgedOneDoesNot() throws Exception {
        PostRing ring = new PostRing(12, 33, directory, PostRing.Options.defaults().withNotifications(
                NotificationService.Settings.defaults().withRetryIntervalMillis(5 * 60_000)));
        Node alicePeer = ring.node(2);
        Node bobPeer = ring.node(6);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);
        List<Bounce> bounces = new ArrayList<>();
        alicePeer.notifications().onRefusedAfterDelegation((n, returnPath, reason) -> bounces.add(
                new Bounce(n, returnPath, reason)));

        ring.crash(bobPeer);
        ring.scheduler().runFor(60_000);
        Notification n = Notification.create(ALICE, BOB, "while you were out", ring.scheduler().now(),
                List.of("part".getBytes(StandardCharsets.UTF_8)), 1234);
        assertThat(ring.await(alicePeer.notifications().send(n, Optional.of(ALICE)))).isEqualTo(Outcome.DELEGATED);
        List<Node> keepers = ring.keepers(n.idHex());
        assertThat(keepers).hasSize(3);

        // a node that is not bob's home claims a refusal: signed by a key that is not bob's, it bounces nothing
        Refusal claimed = new Refusal(n.id(), BOB, RefusalReason.UNKNOWN_USER);
        Node attacker = ring.nodes().stream().filter(p -> p != alicePeer && !p.isCrashed() && !keepers.contains(p))
                .findFirst().orElseThrow();
        attacker.sendRaw(alicePeer.handle(), new NotifyRefusal(claimed.encode(),
                NotificationCrypto.signRefusal(Signatures.generateKeyPair().getPrivate(), claimed)));
        ring.scheduler().runFor(60_000);
        assertThat(bounces).isEmpty();
        // rejected as a bounce, and again by alice's peer as a delegate if it is one of the keepers
        assertThat(alicePeer.notifications().counter("rejected.refusal"))
                .isEqualTo(keepers.contains(alicePeer) ? 2 : 1);

        // bob's peer comes back, and bob's mailbox is full
        Node newBobPeer = ring.restart(bobPeer);
        newBobPeer.sink((notification, sender) -> CompletableFuture.failedFuture(
                new NotificationRefusedException(RefusalReason.QUOTA, "1 MiB over")));
        ring.await(newBobPeer.accounts().publishIdentity(BOB, c -> c.withHome(newBobPeer.handle())));
        newBobPeer.notifications().addLocalUser(BOB);
        assertThat(ring.runUntil(() -> !bounces.isEmpty(), 30 * 60_000)).isTrue();
        ring.scheduler().runFor(30 * 60_000);

        assertThat(bounces).containsExactly(new Bounce(n, ALICE, RefusalReason.QUOTA));
        assertThat(ring.keepers(n.idHex())).isEmpty();
        assertThat(keepers.stream().mapToLong(k -> k.notifications().counter("refusals-forwarded")).sum())
                .isBetween(1L, 3L);
        assertThat(alicePeer.notifications().counter("refusals-after-delegation")).isEqualTo(1);
        assertThat(newBobPeer.inbox()).isEmpty();
    }
}
