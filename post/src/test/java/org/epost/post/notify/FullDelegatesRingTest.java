package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.assertj.core.api.Assertions;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.testing.PostRing;
import org.epost.post.testing.PostRing.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 finding 2 on a simulated 12-node ring: with the recipient's peer down, a delegated send completes only
 * when k delegates said they kept the notification. Delegates whose store is full refuse and do not ack, so the sender
 * tries fresh keys and then fails (SMTP answers 451): no 250 for a mail nobody keeps.
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
}
