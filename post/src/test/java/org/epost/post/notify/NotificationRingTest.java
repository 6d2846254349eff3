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
import org.epost.post.notify.NotifyRing.Peer;
import org.epost.post.notify.messages.NotifyPresence;
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

    private static Notification notification(NotifyRing ring, String from, String to, String subject) {
        return Notification.create(from, to, subject, ring.scheduler.now(),
                List.of(("part-of-" + subject).getBytes(StandardCharsets.UTF_8)), 4321);
    }

    private static NodeHandle handle(Peer peer) {
        return peer.node().node().localHandle();
    }

    @Test
    void deliveredDirectlyWithASignedReceipt() {
        NotifyRing ring = new NotifyRing(12, 3, directory, NotificationService.Settings.defaults());
        Peer alicePeer = ring.peers.get(0);
        Peer bobPeer = ring.peers.get(7);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);

        Notification n = notification(ring, ALICE, BOB, "hello");
        assertThat(ring.await(alicePeer.service().send(n))).isEqualTo(Outcome.DELIVERED);

        assertThat(bobPeer.inbox()).containsExactly(n);
        assertThat(bobPeer.service().counter("delivered")).isEqualTo(1);
        assertThat(bobPeer.service().counter("receipt-sent")).isEqualTo(1);
        assertThat(alicePeer.service().counter("receipts-received")).isEqualTo(1);
        assertThat(alicePeer.service().counter("delegations-started")).isZero();
        assertThat(ring.keepers(n.idHex())).isEmpty();
        assertThat(ring.peers).allSatisfy(p -> assertThat(p.service().counters().keySet())
                .noneMatch(k -> k.startsWith("rejected.")));

        // nobody else got it
        assertThat(ring.peers.stream().filter(p -> p != bobPeer)).allSatisfy(p -> assertThat(p.inbox()).isEmpty());

        // sender and recipient homed on the same peer
        ring.provision(alicePeer, CAROL);
        Notification local = notification(ring, ALICE, CAROL, "next door");
        assertThat(ring.await(alicePeer.service().send(local))).isEqualTo(Outcome.DELIVERED);
        assertThat(alicePeer.inbox()).containsExactly(local);
        assertThat(bobPeer.inbox()).containsExactly(n);
    }

    @Test
    void homeNotRunningDelegatesThenDeliversOnceOnPresence() throws Exception {
        // delegates retry from the identity block only every 6 virtual hours: delivery below must come from presence
        NotifyRing ring = new NotifyRing(12, 5, directory,
                NotificationService.Settings.defaults().withRetryIntervalMillis(6 * 3_600_000L));
        Peer alicePeer = ring.peers.get(1);
        Peer bobPeer = ring.peers.get(9);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);

        bobPeer.service().stop();
        ring.scheduler.runFor(100);
        Notification n = notification(ring, ALICE, BOB, "while you were out");
        assertThat(ring.await(alicePeer.service().send(n))).isEqualTo(Outcome.DELEGATED);
        assertThat(alicePeer.service().counter("delegations-started")).isGreaterThanOrEqualTo(1);

        ring.scheduler.runFor(60_000); // delegates join the presence group
        List<Peer> keepers = ring.keepers(n.idHex());
        assertThat(keepers).hasSize(3).doesNotContain(bobPeer);
        assertThat(bobPeer.inbox()).isEmpty();
        assertThat(bobPeer.service().counter("dropped.not-running")).isGreaterThanOrEqualTo(1);

        // someone else announces bob's presence on bob's group, pointing at itself: not signed by bob, ignored
        var group = NotificationCrypto.presenceGroup(bobPeer.accounts().keys(BOB).orElseThrow().signingPublicKey());
        Peer impostor = ring.peers.stream().filter(p -> p != bobPeer && p != alicePeer && !keepers.contains(p))
                .findFirst().orElseThrow();
        impostor.scribe().publish(group, new NotifyPresence(BOB, handle(impostor), ring.scheduler.now(),
                NotificationCrypto.signPresence(Signatures.generateKeyPair().getPrivate(), BOB, handle(impostor),
                        ring.scheduler.now())));
        ring.scheduler.runFor(30_000);
        assertThat(keepers).allSatisfy(k -> assertThat(k.service().counter("rejected.presence")).isEqualTo(1));
        assertThat(impostor.service().counter("rejected.not-homed")).isZero();
        assertThat(ring.keepers(n.idHex())).hasSize(3);

        // the home peer's application comes back and announces bob's presence on H(bob's signing key)
        bobPeer.service().start();
        assertThat(ring.runUntil(() -> !bobPeer.inbox().isEmpty(), 60_000)).as("delivered after presence").isTrue();
        assertThat(ring.runUntil(() -> ring.keepers(n.idHex()).isEmpty(), 60_000)).as("delegates drop it").isTrue();
        ring.scheduler.runFor(10 * 60_000);

        assertThat(bobPeer.inbox()).containsExactly(n);
        assertThat(bobPeer.service().counter("delivered")).isEqualTo(1);
        assertThat(ring.keepers(n.idHex())).isEmpty();
        assertThat(keepers).allSatisfy(k -> {
            assertThat(k.service().counter("presence-seen")).isEqualTo(1);
            assertThat(k.service().counter("delegations-ended")).isEqualTo(1);
        });
        // every delegate got the (single) receipt it needed; none delivered from the identity poll
        assertThat(bobPeer.service().counter("receipt-sent")).isEqualTo(3);
        assertThat(ring.peers).allSatisfy(p -> assertThat(p.service().counter("delegate-attempts"))
                .as("identity-based attempts happen only when first kept").isLessThanOrEqualTo(1));
        // delegates left the presence group (nothing else kept for bob)
        ring.scheduler.runFor(60_000);
        assertThat(keepers).allSatisfy(k -> assertThat(k.scribe().view(group).map(v -> v.member()).orElse(false))
                .isFalse());
    }

    @Test
    void homeCrashedDelegatedThenDeliveredOnceToTheRestartedHome() throws Exception {
        NotifyRing ring = new NotifyRing(12, 21, directory,
                NotificationService.Settings.defaults().withRetryIntervalMillis(5 * 60_000));
        Peer alicePeer = ring.peers.get(2);
        Peer bobPeer = ring.peers.get(6);
        ring.provision(alicePeer, ALICE);
        UserCertificate bob = ring.provision(bobPeer, BOB);
        UserKeys aliceKeys = alicePeer.accounts().keys(ALICE).orElseThrow();
        Notification before = notification(ring, ALICE, BOB, "before the crash");
        assertThat(ring.await(alicePeer.service().send(before))).isEqualTo(Outcome.DELIVERED);

        ring.crash(bobPeer);
        ring.scheduler.runFor(60_000); // the ring notices
        Notification n = notification(ring, ALICE, BOB, "while crashed");
        assertThat(ring.await(alicePeer.service().send(n))).isEqualTo(Outcome.DELEGATED);
        ring.scheduler.runFor(30 * 60_000); // delegates poll the identity (still the dead home) in vain
        List<Peer> keepers = ring.keepers(n.idHex());
        assertThat(keepers).hasSize(3);

        // one delegate restarts on another node: what it kept is restored from its delegate store
        Peer restartedKeeper = ring.restart(keepers.get(0));
        ring.scheduler.runFor(60_000);
        assertThat(restartedKeeper.service().heldIds()).containsExactly(n.idHex());
        assertThat(ring.keepers(n.idHex())).hasSize(3).contains(restartedKeeper);

        // bob's peer comes back on another node (new id and address) with its vault and seen ids, and moves bob
        Peer newBobPeer = ring.restart(bobPeer);
        ring.await(newBobPeer.accounts().publishIdentity(BOB, c -> c.withHome(handle(newBobPeer))));
        newBobPeer.service().addLocalUser(BOB);
        assertThat(ring.runUntil(() -> !newBobPeer.inbox().isEmpty(), 10 * 60_000)).isTrue();
        assertThat(ring.runUntil(() -> ring.keepers(n.idHex()).isEmpty(), 10 * 60_000)).isTrue();
        ring.scheduler.runFor(20 * 60_000);
        assertThat(newBobPeer.inbox()).containsExactly(n);
        assertThat(newBobPeer.service().counter("delivered")).isEqualTo(1);
        assertThat(restartedKeeper.service().counter("delegations-ended")).isEqualTo(1);
        assertThat(keepers.get(0).state().resolve("delegated")).isEmptyDirectory();

        // the seen ids survived the restart: the notification delivered before the crash is refused as a replay
        long duplicates = newBobPeer.service().counter("rejected.duplicate");
        send(ring, alicePeer, newBobPeer, before.id(), BOB, NotificationCrypto.signAndSeal(before,
                aliceKeys.signing().getPrivate(), bob.encryptionKey()));
        assertThat(newBobPeer.service().counter("rejected.duplicate")).isEqualTo(duplicates + 1);
        assertThat(newBobPeer.inbox()).containsExactly(n);
    }

    @Test
    void forgedWrongRecipientReplayedAndGarbageAreRejected() throws Exception {
        NotifyRing ring = new NotifyRing(10, 9, directory, NotificationService.Settings.defaults());
        Peer alicePeer = ring.peers.get(0);
        Peer bobPeer = ring.peers.get(4);
        Peer attacker = ring.peers.get(8);
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
            assertThat(bobPeer.service().counter("rejected.bad-signature")).isEqualTo(1);

            // 2. sender certificate not matching: bob's own key signing as alice
            Notification impersonated = notification(ring, ALICE, BOB, "impersonated");
            send(ring, attacker, bobPeer, impersonated.id(), BOB, NotificationCrypto.signAndSeal(impersonated,
                    bobKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.service().counter("rejected.bad-signature")).isEqualTo(2);

            // 3. a sender without a certificate
            Notification uncertified = notification(ring, "mallory@example.org", BOB, "uncertified");
            send(ring, attacker, bobPeer, uncertified.id(), BOB, NotificationCrypto.signAndSeal(uncertified,
                    Signatures.generateKeyPair().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.service().counter("rejected.sender-certificate")).isEqualTo(1);

            // 4. validly signed by alice, for carol, but sealed to bob and handed in for bob
            Notification forCarol = notification(ring, ALICE, CAROL, "for carol");
            send(ring, attacker, bobPeer, forCarol.id(), BOB, NotificationCrypto.signAndSeal(forCarol,
                    aliceKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.service().counter("rejected.wrong-recipient")).isEqualTo(1);

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
            assertThat(bobPeer.service().counter("rejected.garbage")).isEqualTo(4);

            assertThat(bobPeer.inbox()).isEmpty();
            assertThat(bobPeer.service().counter("receipt-sent")).isZero();

            // 6. replay: a delivered notification sent again (a fresh box of the same signed notification)
            Notification real = notification(ring, ALICE, BOB, "real");
            assertThat(ring.await(alicePeer.service().send(real))).isEqualTo(Outcome.DELIVERED);
            assertThat(bobPeer.inbox()).containsExactly(real);
            send(ring, attacker, bobPeer, real.id(), BOB, NotificationCrypto.signAndSeal(real,
                    aliceKeys.signing().getPrivate(), bob.encryptionKey()));
            assertThat(bobPeer.service().counter("rejected.duplicate")).isEqualTo(1);
            assertThat(bobPeer.inbox()).containsExactly(real);
            assertThat(bobPeer.service().counter("delivered")).isEqualTo(1);
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
        assertThat(ring.peers.stream().filter(p -> p != bobPeer)).allSatisfy(p -> assertThat(p.inbox()).isEmpty());
    }

    /** Hands a raw envelope from {@code from} to {@code to}'s notification service and lets it be processed. */
    private static void send(NotifyRing ring, Peer from, Peer to, byte[] id, String recipient, byte[] box) {
        from.sendRaw(handle(to), id, recipient, box);
        ring.scheduler.runFor(30_000);
    }
}
