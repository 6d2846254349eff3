package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.Message;
import org.epost.post.crypto.Signatures;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.messages.NotifyBoxRefusal;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyRefusal;
import org.epost.post.testing.PostRing;
import org.epost.post.testing.PostRing.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, the attack harness's finding on a simulated 12-node ring: a certified hostile node delegates a box that
 * never opens for bob while bob's peer is down. When bob's peer comes back, its first hand-over by each of the k
 * delegates is answered with a box refusal signed by bob's key, and all of them drop it (their bytes on disk freed)
 * instead of handing it over every retry round until the hold ends; a forged refusal drops nothing, nothing goes back
 * to the hostile node, and a real notification kept meanwhile is delivered as before.
 */
class GarbageDelegationRingTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final long RETRY = 5 * 60_000;

    @TempDir
    Path directory;

    @Test
    void aGarbageBoxKeptByTheDelegatesIsDroppedByAllAfterItsFirstHandOverAndAForgedRefusalDropsNothing() {
        PostRing ring = new PostRing(12, 41, directory, PostRing.Options.defaults().withNotifications(
                NotificationService.Settings.defaults().withRetryIntervalMillis(RETRY)));
        Node alicePeer = ring.node(2);
        Node bobPeer = ring.node(6);
        Node attacker = ring.node(9);
        Node root = ring.node(4);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);
        List<Message> toAttacker = new ArrayList<>();
        attacker.tap(toAttacker::add);
        ring.crash(bobPeer);
        ring.scheduler().runFor(60_000);

        Notification n = Notification.create(ALICE, BOB, "while you were out", ring.scheduler().now(),
                List.of("part".getBytes(StandardCharsets.UTF_8)), 1234);
        assertThat(ring.await(alicePeer.notifications().send(n))).isEqualTo(Outcome.DELEGATED);
        assertThat(ring.keepers(n.idHex())).hasSize(3);

        // the hostile node delegates 256 KiB that are no sealed notification, rooted at a key of its choosing
        byte[] garbageId = new byte[Notification.ID_BYTES];
        byte[] junk = new byte[256 * 1024];
        new Random(5).nextBytes(garbageId);
        new Random(6).nextBytes(junk);
        String garbage = HexFormat.of().formatHex(garbageId);
        attacker.sendRaw(root.handle(), new NotifyDelegate(root.handle().id(), garbageId, BOB, junk,
                attacker.handle(), false));
        ring.scheduler().runFor(60_000);
        List<Node> keepers = ring.keepers(garbage);
        assertThat(keepers).hasSize(3);
        assertThat(keepers).allSatisfy(k -> assertThat(boxBytes(k, garbage)).isEqualTo(junk.length));

        // it forges bob's box refusal: signed by another key, it drops nothing
        BoxRefusal claimed = BoxRefusal.of(garbageId, BOB, junk, BoxRefusal.Fault.DOES_NOT_OPEN);
        for (Node keeper : keepers) {
            attacker.sendRaw(keeper.handle(), new NotifyBoxRefusal(claimed.encode(),
                    NotificationCrypto.signBoxRefusal(Signatures.generateKeyPair().getPrivate(), claimed)));
        }
        ring.scheduler().runFor(60_000);
        assertThat(ring.keepers(garbage)).hasSize(3);
        assertThat(keepers.stream().mapToLong(k -> k.notifications().counter("rejected.box-refusal")).sum())
                .isEqualTo(3);

        // bob's peer comes back: each delegate hands both over once, bob's peer refuses the garbage, takes the mail
        Node newBobPeer = ring.restart(bobPeer);
        ring.await(newBobPeer.accounts().publishIdentity(BOB, c -> c.withHome(newBobPeer.handle())));
        newBobPeer.notifications().addLocalUser(BOB);
        assertThat(ring.runUntil(() -> ring.keepers(garbage).isEmpty() && ring.keepers(n.idHex()).isEmpty(),
                30 * 60_000)).isTrue();
        long handedOver = newBobPeer.notifications().counter("rejected.garbage");
        assertThat(handedOver).as("hand-overs of the garbage box: one by each delegate").isEqualTo(3);
        assertThat(newBobPeer.notifications().counter("box-refusal-sent")).isEqualTo(handedOver);
        assertThat(keepers).allSatisfy(k -> {
            assertThat(k.notifications().counter("delegations-discarded")).isEqualTo(1);
            assertThat(boxBytes(k, garbage)).as("bytes freed").isZero();
        });

        // many retry rounds later it was never handed over again; the mail is in bob's INBOX once
        ring.scheduler().runFor(10 * RETRY);
        assertThat(newBobPeer.notifications().counter("rejected.garbage")).isEqualTo(handedOver);
        assertThat(newBobPeer.inbox()).containsExactly(n);
        // neither the hostile node nor alice's peer is told anything
        assertThat(toAttacker).noneMatch(m -> m instanceof NotifyBoxRefusal || m instanceof NotifyRefusal);
        assertThat(ring.nodes().stream().mapToLong(p -> p.notifications().counter("refusals-forwarded")).sum())
                .isZero();
    }

    /** Bytes of the body file of {@code idHex} in {@code keeper}'s delegate store (0 if none). */
    private static long boxBytes(Node keeper, String idHex) {
        Path body = keeper.state().resolve("delegated").resolve(idHex + DirectoryDelegateStore.BODY);
        try {
            return Files.exists(body) ? Files.size(body) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
