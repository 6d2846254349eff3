package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.testing.PostRing;
import org.epost.post.testing.PostRing.Node;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Notifications on a simulated 12-node ring (virtual time): Pastry, PAST, Scribe, accounts and POST on each node. */
class NotificationRingTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final String CAROL = "carol@example.org";

    @TempDir
    Path directory;

    private static Notification notification(PostRing ring, String from, String to, String subject) {
        return Notification.create(from, to, subject, ring.scheduler().now(),
                List.of(("part-of-" + subject).getBytes(StandardCharsets.UTF_8)), 4321);
    }

    private PostRing ring(int nodes, long seed, NotificationService.Settings settings) {
        return new PostRing(nodes, seed, directory, PostRing.Options.defaults().withNotifications(settings));
    }

    private static NodeHandle handle(Node peer) {
        return peer.handle();
    }

    @Test
    void deliveredDirectlyWithASignedReceipt() {
        PostRing ring = ring(12, 3, NotificationService.Settings.defaults());
        Node alicePeer = ring.node(0);
        Node bobPeer = ring.node(7);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);

        Notification n = notification(ring, ALICE, BOB, "hello");
        assertThat(ring.await(alicePeer.notifications().send(n))).isEqualTo(Outcome.DELIVERED);

        assertThat(bobPeer.inbox()).containsExactly(n);
        assertThat(bobPeer.notifications().counter("delivered")).isEqualTo(1);
        assertThat(bobPeer.notifications().counter("receipt-sent")).isEqualTo(1);
        assertThat(alicePeer.notifications().counter("receipts-received")).isEqualTo(1);
        assertThat(alicePeer.notifications().counter("delegations-started")).isZero();
        assertThat(ring.keepers(n.idHex())).isEmpty();
        assertThat(ring.nodes()).allSatisfy(p -> assertThat(p.notifications().counters().keySet())
                .noneMatch(k -> k.startsWith("rejected.")));

        // nobody else got it
        assertThat(ring.nodes().stream().filter(p -> p != bobPeer)).allSatisfy(p -> assertThat(p.inbox()).isEmpty());

        // sender and recipient homed on the same peer
        ring.provision(alicePeer, CAROL);
        Notification local = notification(ring, ALICE, CAROL, "next door");
        assertThat(ring.await(alicePeer.notifications().send(local))).isEqualTo(Outcome.DELIVERED);
        assertThat(alicePeer.inbox()).containsExactly(local);
        assertThat(bobPeer.inbox()).containsExactly(n);
    }

    @Test
    void homeNotRunningDelegatesThenDeliversOnceOnPresence() throws Exception {
        // delegates retry from the identity block only every 6 virtual hours: delivery below must come from presence
        PostRing ring = ring(12, 5, NotificationService.Settings.defaults().withRetryIntervalMillis(6 * 3_600_000L));
        Node alicePeer = ring.node(1);
        Node bobPeer = ring.node(9);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);

        bobPeer.notifications().stop();
        ring.scheduler().runFor(100);
        Notification n = notification(ring, ALICE, BOB, "while you were out");
        assertThat(ring.await(alicePeer.notifications().send(n))).isEqualTo(Outcome.DELEGATED);
        assertThat(alicePeer.notifications().counter("delegations-started")).isGreaterThanOrEqualTo(1);

        ring.scheduler().runFor(60_000); // delegates join the presence group
        List<Node> keepers = ring.keepers(n.idHex());
        assertThat(keepers).hasSize(3).doesNotContain(bobPeer);
        assertThat(bobPeer.inbox()).isEmpty();
        assertThat(bobPeer.notifications().counter("dropped.not-running")).isGreaterThanOrEqualTo(1);

        // someone else announces bob's presence on bob's group, pointing at itself: not signed by bob, ignored
        var group = NotificationCrypto.presenceGroup(bobPeer.accounts().keys(BOB).orElseThrow().signingPublicKey());
        Node impostor = ring.nodes().stream().filter(p -> p != bobPeer && p != alicePeer && !keepers.contains(p))
                .findFirst().orElseThrow();
        impostor.scribe().publish(group, new NotifyPresence(BOB, handle(impostor), ring.scheduler().now(),
                NotificationCrypto.signPresence(Signatures.generateKeyPair().getPrivate(), BOB, handle(impostor),
                        ring.scheduler().now())));
        ring.scheduler().runFor(30_000);
        assertThat(keepers).allSatisfy(k -> assertThat(k.notifications().counter("rejected.presence")).isEqualTo(1));
        assertThat(impostor.notifications().counter("rejected.not-homed")).isZero();
        assertThat(ring.keepers(n.idHex())).hasSize(3);

        // the home peer's application comes back and announces bob's presence on H(bob's signing key)
        bobPeer.notifications().start();
        assertThat(ring.runUntil(() -> !bobPeer.inbox().isEmpty(), 60_000)).as("delivered after presence").isTrue();
        assertThat(ring.runUntil(() -> ring.keepers(n.idHex()).isEmpty(), 60_000)).as("delegates drop it").isTrue();
        ring.scheduler().runFor(10 * 60_000);

        assertThat(bobPeer.inbox()).containsExactly(n);
        assertThat(bobPeer.notifications().counter("delivered")).isEqualTo(1);
        assertThat(ring.keepers(n.idHex())).isEmpty();
        assertThat(keepers).allSatisfy(k -> {
            assertThat(k.notifications().counter("presence-seen")).isEqualTo(1);
            assertThat(k.notifications().counter("delegations-ended")).isEqualTo(1);
        });
        // every delegate got the (single) receipt it needed; none delivered from the identity poll
        assertThat(bobPeer.notifications().counter("receipt-sent")).isEqualTo(3);
        assertThat(ring.nodes()).allSatisfy(p -> assertThat(p.notifications().counter("delegate-attempts"))
                .as("identity-based attempts happen only when first kept").isLessThanOrEqualTo(1));
        // delegates left the presence group (nothing else kept for bob)
        ring.scheduler().runFor(60_000);
        assertThat(keepers).allSatisfy(k -> assertThat(k.scribe().view(group).map(v -> v.member()).orElse(false))
                .isFalse());
    }

    @Test
    void homeCrashedDelegatedThenDeliveredOnceToTheRestartedHome() throws Exception {
        PostRing ring = ring(12, 21, NotificationService.Settings.defaults().withRetryIntervalMillis(5 * 60_000));
        Node alicePeer = ring.node(2);
        Node bobPeer = ring.node(6);
        ring.provision(alicePeer, ALICE);
        UserCertificate bob = ring.provision(bobPeer, BOB);
        UserKeys aliceKeys = alicePeer.accounts().keys(ALICE).orElseThrow();
        Notification before = notification(ring, ALICE, BOB, "before the crash");
        assertThat(ring.await(alicePeer.notifications().send(before))).isEqualTo(Outcome.DELIVERED);

        ring.crash(bobPeer);
        ring.scheduler().runFor(60_000); // the ring notices
        Notification n = notification(ring, ALICE, BOB, "while crashed");
        assertThat(ring.await(alicePeer.notifications().send(n))).isEqualTo(Outcome.DELEGATED);
        // DELEGATED means three delegates each forced it to disk and said so, signed, straight to alice's peer
        List<Node> keepers = ring.keepers(n.idHex());
        assertThat(keepers).hasSize(3).allSatisfy(k -> assertThat(k.notifications().counter("kept-acks-sent"))
                .isEqualTo(1));
        assertThat(keepers).allSatisfy(k -> assertThat(k.state().resolve("delegated")).isNotEmptyDirectory());
        assertThat(alicePeer.notifications().counter("rejected.ack")).isZero();
        ring.scheduler().runFor(30 * 60_000); // delegates poll the identity (still the dead home) in vain
        assertThat(ring.keepers(n.idHex())).isEqualTo(keepers);

        // one delegate restarts on another node: what it kept is restored from its delegate store
        Node restartedKeeper = ring.restart(keepers.get(0));
        ring.scheduler().runFor(60_000);
        assertThat(restartedKeeper.notifications().heldIds()).containsExactly(n.idHex());
        assertThat(ring.keepers(n.idHex())).hasSize(3).contains(restartedKeeper);

        // bob's peer comes back on another node (new id and address) with its vault and seen ids, and moves bob
        Node newBobPeer = ring.restart(bobPeer);
        ring.await(newBobPeer.accounts().publishIdentity(BOB, c -> c.withHome(handle(newBobPeer))));
        newBobPeer.notifications().addLocalUser(BOB);
        assertThat(ring.runUntil(() -> !newBobPeer.inbox().isEmpty(), 10 * 60_000)).isTrue();
        assertThat(ring.runUntil(() -> ring.keepers(n.idHex()).isEmpty(), 10 * 60_000)).isTrue();
        ring.scheduler().runFor(20 * 60_000);
        assertThat(newBobPeer.inbox()).containsExactly(n);
        assertThat(newBobPeer.notifications().counter("delivered")).isEqualTo(1);
        assertThat(restartedKeeper.notifications().counter("delegations-ended")).isEqualTo(1);
        assertThat(keepers.get(0).state().resolve("delegated")).isEmptyDirectory();

        // the seen ids survived the restart: the notification delivered before the crash is refused as a replay
        long duplicates = newBobPeer.notifications().counter("rejected.duplicate");
        send(ring, alicePeer, newBobPeer, before.id(), BOB, NotificationCrypto.signAndSeal(before,
                aliceKeys.signing().getPrivate(), bob.encryptionKey()));
        assertThat(newBobPeer.notifications().counter("rejected.duplicate")).isEqualTo(duplicates + 1);
        assertThat(newBobPeer.inbox()).containsExactly(n);
    }

    @Test
    void forgedWrongRecipientReplayedAndGarbageAreRejected() throws Exception {
        PostRing ring = ring(10, 9, NotificationService.Settings.defaults());
        Node alicePeer = ring.node(0);
        Node bobPeer = ring.node(4);
        Node attacker = ring.node(8);
        ring.provision(alicePeer, ALICE);
        UserCertificate bob = ring.provision(bobPeer, BOB);
        UserCertificate carol = ring.provision(bobPeer, CAROL);
        UserKeys aliceKeys = alicePeer.accounts().keys(ALICE).orElseThrow();
        UserKeys bobKeys = bobPeer.accounts().keys(BOB).orElseThrow();

        Logger logger = (Logger) LoggerFactory.getLogger(NotificationService.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            // 1. forged: claims alice, signed by some other key
            Notification forged = notification(ring, ALICE, BOB, "forged");
            byte[] forgedBox = NotificationCrypto.signAndSeal(forged, Signatures.generateKeyPair().getPrivate(),
                    bob.encryptionKey());
            send(ring, attacker, bobPeer, forged.id(), BOB, forgedBox);
            assertThat(bobPeer.notifications().counter("rejected.bad-signature")).isEqualTo(1);

            // 2. sender certificate not matching: bob's own key signing as alice
            Notification impersonated = notification(ring, ALICE, BOB, "impersonated");
            send(ring, attacker, bobPeer, impersonated.id(), BOB, NotificationCrypto.signAndSeal(impersonated,
                    bobKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.notifications().counter("rejected.bad-signature")).isEqualTo(2);

            // 3. a sender without a certificate
            Notification uncertified = notification(ring, "mallory@example.org", BOB, "uncertified");
            send(ring, attacker, bobPeer, uncertified.id(), BOB, NotificationCrypto.signAndSeal(uncertified,
                    Signatures.generateKeyPair().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.notifications().counter("rejected.sender-certificate")).isEqualTo(1);

            // 4. validly signed by alice, for carol, but sealed to bob and handed in for bob
            Notification forCarol = notification(ring, ALICE, CAROL, "for carol");
            send(ring, attacker, bobPeer, forCarol.id(), BOB, NotificationCrypto.signAndSeal(forCarol,
                    aliceKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.notifications().counter("rejected.wrong-recipient")).isEqualTo(1);

            // 5. garbage: random bytes, a box to bob holding junk, a box to carol handed in for bob, an id mismatch
            byte[] junk = Seeded.bytes(300, 1);
            send(ring, attacker, bobPeer, forged.id(), BOB, junk);
            send(ring, attacker, bobPeer, forged.id(), BOB, SealedBox.seal(bob.encryptionKey(), junk,
                    NotificationCrypto.BOX_CONTEXT));
            Notification toCarol = notification(ring, ALICE, CAROL, "sealed to carol");
            send(ring, attacker, bobPeer, toCarol.id(), BOB, NotificationCrypto.signAndSeal(toCarol,
                    aliceKeys.signing().getPrivate(), carol.encryptionKey()));
            Notification genuine = notification(ring, ALICE, BOB, "genuine but relabelled");
            send(ring, attacker, bobPeer, forged.id(), BOB, NotificationCrypto.signAndSeal(genuine,
                    aliceKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.notifications().counter("rejected.garbage")).isEqualTo(4);

            assertThat(bobPeer.inbox()).isEmpty();
            assertThat(bobPeer.notifications().counter("receipt-sent")).isZero();

            // 6. replay: a delivered notification sent again (a fresh box of the same signed notification)
            Notification real = notification(ring, ALICE, BOB, "real");
            assertThat(ring.await(alicePeer.notifications().send(real))).isEqualTo(Outcome.DELIVERED);
            assertThat(bobPeer.inbox()).containsExactly(real);
            send(ring, attacker, bobPeer, real.id(), BOB, NotificationCrypto.signAndSeal(real,
                    aliceKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.notifications().counter("rejected.duplicate")).isEqualTo(1);
            assertThat(bobPeer.inbox()).containsExactly(real);
            assertThat(bobPeer.notifications().counter("delivered")).isEqualTo(1);
        } finally {
            logger.detachAppender(log);
        }
        List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anyMatch(w -> w.contains("rejected (bad-signature)"))
                .anyMatch(w -> w.contains("rejected (sender-certificate)"))
                .anyMatch(w -> w.contains("rejected (wrong-recipient)"))
                .anyMatch(w -> w.contains("rejected (duplicate)"))
                .anyMatch(w -> w.contains("rejected (garbage)"));
        assertThat(ring.nodes().stream().filter(p -> p != bobPeer)).allSatisfy(p -> assertThat(p.inbox()).isEmpty());
    }

    /** Hands a raw envelope from {@code from} to {@code to}'s notification service and lets it be processed. */
    private static void send(PostRing ring, Node from, Node to, byte[] id, String recipient, byte[] box) {
        from.sendRaw(handle(to), id, recipient, box);
        ring.scheduler().runFor(30_000);
    }
}
