package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.notify.RoleFixture.HOME;
import static org.epost.post.notify.RoleFixture.OTHER;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Set;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.notify.messages.NotifyBoxRefusal;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyReceipts;
import org.epost.post.notify.messages.NotifyRefusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The home role alone: verification, duplicate suppression, the sink and the receipts. */
class HomeRoleTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";

    @TempDir
    Path directory;

    private RoleFixture fixture;
    private final List<Notification> inbox = new ArrayList<>();
    private final List<CompletableFuture<Void>> sinkAnswers = new ArrayList<>();
    private HomeRole home;
    private UserCertificate bob;

    /** The inline offload of simulations; {@link DeferredOffloadTest} runs the same tests with it deferred. */
    void configure(RoleFixture fixture) {
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RoleFixture(directory);
        configure(fixture);
        fixture.provisionElsewhere(ALICE);
        bob = fixture.provisionHere(BOB);
        NotificationSink sink = (notification, sender) -> {
            inbox.add(notification);
            return sinkAnswers.isEmpty() ? CompletableFuture.completedFuture(null) : sinkAnswers.remove(0);
        };
        home = new HomeRole(fixture.node, fixture.accounts, sink, SeenIds.inMemory());
        home.addUser(BOB);
    }

    private NotifyDeliver fromAlice(Notification n, NodeHandle replyTo) throws Exception {
        byte[] box = NotificationCrypto.signAndSeal(n, fixture.keysElsewhere(ALICE).signing().getPrivate(),
                bob.encryptionKey());
        return new NotifyDeliver(n.id(), BOB, box, replyTo);
    }

    @Test
    void copiesArrivingWhileOneIsVerifiedAreDeliveredOnceAndAllAnswered() throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "hello");
        // a sender and a delegate both hand it in before the sender's certificate is looked up
        home.onDeliver(fromAlice(n, HOME));
        home.onDeliver(fromAlice(n, OTHER));
        home.onDeliver(fromAlice(n, OTHER));
        fixture.settle();

        assertThat(inbox).containsExactly(n);
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(HOME, OTHER);
        assertThat(fixture.sent(NotifyReceipt.class)).allSatisfy(r -> assertThat(NotificationCrypto.verifyReceipt(
                bob.signingKey(), n.id(), BOB, r.signature())).isTrue());
        assertThat(fixture.node.counters().get("delivered")).isEqualTo(1);
        assertThat(fixture.node.counters().get("receipt-sent")).isEqualTo(2);

        // later, a copy again: not delivered twice, but answered (its sender's receipt may have been lost)
        home.onDeliver(fromAlice(n, OTHER));
        fixture.settle();
        assertThat(inbox).containsExactly(n);
        assertThat(fixture.node.counters().get("rejected.duplicate")).isEqualTo(1);
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(HOME, OTHER, OTHER);
    }

    @Test
    void eachStepOfADeliveryIsTimedFromTheNotificationsArrival() throws Exception {
        CompletableFuture<Void> appended = new CompletableFuture<>();
        sinkAnswers.add(appended);
        home.onDeliver(fromAlice(fixture.notification(ALICE, BOB, "timed"), HOME));
        fixture.settle();
        fixture.scheduler.runFor(40);
        appended.complete(null); // the sink took 40 virtual ms (and more, the settling) to append it
        fixture.settle();

        List<String> steps = List.of("opened", "certified", "verified", "begun", "accepted", "seen");
        for (String step : steps) {
            assertThat(fixture.timed.get("epost.notify.home." + step)).as(step).hasSize(1);
        }
        assertThat(fixture.timed.get("epost.notify.home.begun").get(0)).isLessThan(40);
        assertThat(fixture.timed.get("epost.notify.home.accepted").get(0)).isGreaterThanOrEqualTo(40);
        assertThat(fixture.timed.get("epost.notify.home.seen").get(0))
            .isGreaterThanOrEqualTo(fixture.timed.get("epost.notify.home.accepted").get(0));
        assertThat(fixture.counted).containsEntry("epost.notify.delivered", 1L);
        // a duplicate is answered, not delivered: it times nothing past its check
        home.onDeliver(fromAlice(inbox.get(0), OTHER));
        fixture.settle();
        assertThat(fixture.timed.get("epost.notify.home.seen")).hasSize(1);
    }

    @Test
    void receiptsThatCompleteTogetherShareOneSignatureAndEachIdIsReceiptedOnce() throws Exception {
        List<Notification> sent = List.of(fixture.notification(ALICE, BOB, "one"),
                fixture.notification(ALICE, BOB, "two"), fixture.notification(ALICE, BOB, "three"));
        for (Notification n : sent) {
            home.onDeliver(fromAlice(n, HOME));
        }
        fixture.settle();

        assertThat(inbox).containsExactlyInAnyOrderElementsOf(sent);
        List<String> receipted = new ArrayList<>();
        for (NotifyReceipt single : fixture.sent(NotifyReceipt.class)) {
            assertThat(NotificationCrypto.verifyReceipt(bob.signingKey(), single.id(), BOB, single.signature()))
                    .isTrue();
            receipted.add(HexFormat.of().formatHex(single.id()));
        }
        List<NotifyReceipts> batches = fixture.sent(NotifyReceipts.class);
        for (NotifyReceipts batch : batches) {
            assertThat(NotificationCrypto.verifyReceipts(bob.signingKey(), batch.batch(), batch.signature())).isTrue();
            assertThat(ReceiptBatch.decode(batch.batch()).recipient()).isEqualTo(BOB);
            receipted.addAll(ReceiptBatch.decode(batch.batch()).idsHex());
        }
        assertThat(receipted).containsExactlyInAnyOrderElementsOf(sent.stream().map(Notification::idHex).toList());
        assertThat(batches).as("fewer signatures than notifications").isNotEmpty();
        assertThat(fixture.recipientsOf(NotifyReceipts.class)).containsOnly(HOME);
        assertThat(fixture.node.counters().get("receipt-sent")).isEqualTo(3);
        assertThat(fixture.node.counters().get("receipt-batches-sent")).isEqualTo(batches.size());
    }

    @Test
    void aNotificationFromASenderTheOrganizationRevokedIsRefusedWithALoggedRejection() throws Exception {
        KeyPair organization = NodeCertificates.generateKeyPair();
        Revocations revocations = new Revocations(organization.getPublic());
        fixture.accounts.enforce(revocations);
        Notification before = fixture.notification(ALICE, BOB, "before the revocation");
        home.onDeliver(fromAlice(before, OTHER));
        fixture.settle();
        Instant now = Instant.ofEpochMilli(fixture.scheduler.now());
        revocations.offer(RevocationList.sign(organization.getPrivate(), 1, now, now.plusSeconds(86_400), Set.of(),
            Set.of(RevocationList.userKeyHash(fixture.keysElsewhere(ALICE).signing().getPublic()))));

        Notification after = fixture.notification(ALICE, BOB, "after the revocation");
        home.onDeliver(fromAlice(after, OTHER));
        fixture.settle();

        assertThat(inbox).containsExactly(before);
        assertThat(fixture.node.counters().get("rejected.sender-certificate")).isEqualTo(1);
        assertThat(fixture.sent(NotifyReceipt.class)).hasSize(1);
        assertThat(fixture.accounts.lookupCertificate(BOB).join().address()).as("others are unaffected").isEqualTo(BOB);
    }

    @Test
    void aNotificationOlderThanTheSeenIdsWindowIsRefusedAsAPossibleReplay() throws Exception {
        long window = SeenIds.windowFor(30 * 86_400_000L);
        HomeRole remembering = new HomeRole(fixture.node, fixture.accounts, (notification, sender) -> {
            inbox.add(notification);
            return CompletableFuture.completedFuture(null);
        }, SeenIds.file(directory.resolve("seen-ids"), window, fixture.scheduler::now));
        remembering.addUser(BOB);
        fixture.scheduler.runFor(window + 1_000);
        Notification stale = Notification.create(ALICE, BOB, "from long ago", fixture.scheduler.now() - window - 1,
            List.of(new byte[] {1}), 1);
        Notification fresh = fixture.notification(ALICE, BOB, "from today");

        remembering.onDeliver(fromAlice(stale, OTHER));
        remembering.onDeliver(fromAlice(fresh, OTHER));
        fixture.settle();

        assertThat(inbox).containsExactly(fresh);
        assertThat(fixture.node.counters().get("rejected.expired")).isEqualTo(1);
        assertThat(fixture.sent(NotifyBoxRefusal.class)).as("a clock may be wrong: not refused for good at once")
                .isEmpty();

        // handed over again by its delegates, round after round: refused for good at the third, six hours on
        fixture.scheduler.runFor(UnprovenSenders.MIN_SPAN_MILLIS / 2);
        remembering.onDeliver(fromAlice(stale, OTHER));
        fixture.settle();
        assertThat(fixture.sent(NotifyBoxRefusal.class)).isEmpty();
        fixture.scheduler.runFor(UnprovenSenders.MIN_SPAN_MILLIS / 2);
        NotifyDeliver third = fromAlice(stale, OTHER);
        remembering.onDeliver(third);
        fixture.settle();
        assertThat(fixture.sent(NotifyBoxRefusal.class)).hasSize(1);
        BoxRefusal refusal = BoxRefusal.decode(fixture.sent(NotifyBoxRefusal.class).get(0).refusal());
        assertThat(refusal).isEqualTo(BoxRefusal.of(stale.id(), BOB, third.box(), BoxRefusal.Fault.EXPIRED));
        assertThat(inbox).containsExactly(fresh);
    }

    @Test
    void aSenderWithoutACertificateIsRefusedForGoodOnlyAfterSeveralLookupsOverHours() throws Exception {
        Notification fromGhost = fixture.notification("ghost@example.org", BOB, "who am I");
        NotifyDeliver m = new NotifyDeliver(fromGhost.id(), BOB, NotificationCrypto.signAndSeal(fromGhost,
                org.epost.post.crypto.Signatures.generateKeyPair().getPrivate(), bob.encryptionKey()), OTHER);

        // a lookup that finds nothing may be transient: two failures within minutes refuse nothing
        home.onDeliver(m);
        fixture.settle();
        fixture.scheduler.runFor(60_000);
        home.onDeliver(m);
        fixture.settle();
        assertThat(fixture.node.counters().get("rejected.sender-certificate")).isEqualTo(2);
        assertThat(fixture.sent(NotifyBoxRefusal.class)).isEmpty();
        // a third after six hours: still nothing found, so the box will never be taken
        fixture.scheduler.runFor(UnprovenSenders.MIN_SPAN_MILLIS);
        home.onDeliver(m);
        fixture.settle();

        assertThat(inbox).isEmpty();
        List<NotifyBoxRefusal> answers = fixture.sent(NotifyBoxRefusal.class);
        assertThat(answers).hasSize(1);
        assertThat(fixture.recipientsOf(NotifyBoxRefusal.class)).containsOnly(OTHER);
        BoxRefusal refusal = BoxRefusal.decode(answers.get(0).refusal());
        assertThat(refusal).isEqualTo(BoxRefusal.of(m.id(), BOB, m.box(), BoxRefusal.Fault.UNKNOWN_SENDER));
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.signingKey(), refusal, answers.get(0).signature()))
                .isTrue();
    }

    @Test
    void aSinkThatFailsGetsNoReceiptAndTheNextCopyIsDelivered() throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "try again");
        sinkAnswers.add(CompletableFuture.failedFuture(new IllegalStateException("disk full")));
        home.onDeliver(fromAlice(n, HOME));
        fixture.settle();
        assertThat(fixture.node.counters().get("sink-failed")).isEqualTo(1);
        assertThat(fixture.sent(NotifyReceipt.class)).isEmpty();

        home.onDeliver(fromAlice(n, HOME));
        fixture.settle();
        assertThat(inbox).containsExactly(n, n);
        assertThat(fixture.node.counters().get("delivered")).isEqualTo(1);
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(HOME);
    }

    @Test
    void aSinkThatRefusesForGoodAnswersASignedRefusalToEveryWaitingPeer() throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "over quota");
        sinkAnswers.add(CompletableFuture.failedFuture(new java.util.concurrent.CompletionException(
                new NotificationRefusedException(RefusalReason.QUOTA, "1 MiB over"))));
        home.onDeliver(fromAlice(n, HOME));
        home.onDeliver(fromAlice(n, OTHER));
        fixture.settle();

        assertThat(fixture.sent(NotifyReceipt.class)).isEmpty();
        assertThat(fixture.recipientsOf(NotifyRefusal.class)).containsExactly(HOME, OTHER);
        assertThat(fixture.sent(NotifyRefusal.class)).allSatisfy(m -> {
            Refusal refusal = Refusal.decode(m.refusal());
            assertThat(refusal).isEqualTo(new Refusal(n.id(), BOB, RefusalReason.QUOTA));
            assertThat(NotificationCrypto.verifyRefusal(bob.signingKey(), refusal, m.signature())).isTrue();
        });
        assertThat(fixture.node.counters().get("refused.quota")).isEqualTo(1);

        // not marked seen: once the cause is gone, a retry is delivered
        home.onDeliver(fromAlice(n, HOME));
        fixture.settle();
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(HOME);
    }

    @Test
    void aBoxThatDoesNotOpenToASignedNotificationForThisRecipientIsAnsweredWithABoxRefusalSignedByTheRecipient()
            throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "hello");
        byte[] randomId = new byte[Notification.ID_BYTES];
        new java.util.Random(7).nextBytes(randomId);
        byte[] junk = new byte[4096];
        new java.util.Random(8).nextBytes(junk);
        java.security.PrivateKey alice = fixture.keysElsewhere(ALICE).signing().getPrivate();
        Notification forAlice = fixture.notification(ALICE, ALICE, "for someone else");
        NotifyDeliver garbage = new NotifyDeliver(randomId, BOB, junk, OTHER);
        NotifyDeliver sealedToAlice = new NotifyDeliver(n.id(), BOB, NotificationCrypto.signAndSeal(n, alice,
                fixture.keysElsewhere(ALICE).encryptionPublicKey()), OTHER);
        NotifyDeliver otherRecipient = new NotifyDeliver(forAlice.id(), BOB, NotificationCrypto.signAndSeal(forAlice,
                alice, bob.encryptionKey()), OTHER);
        NotifyDeliver otherId = new NotifyDeliver(randomId, BOB, fromAlice(n, OTHER).box(), OTHER);
        NotifyDeliver forged = new NotifyDeliver(n.id(), BOB, NotificationCrypto.signAndSeal(n,
                org.epost.post.crypto.Signatures.generateKeyPair().getPrivate(), bob.encryptionKey()), OTHER);
        for (NotifyDeliver m : List.of(garbage, sealedToAlice, otherRecipient, otherId, forged)) {
            home.onDeliver(m);
            fixture.settle();
        }
        // none is delivered; each peer that handed one over is told, for exactly that box, signed with bob's key
        assertThat(inbox).isEmpty();
        List<BoxRefusal.Fault> faults = List.of(BoxRefusal.Fault.DOES_NOT_OPEN, BoxRefusal.Fault.DOES_NOT_OPEN,
                BoxRefusal.Fault.WRONG_RECIPIENT, BoxRefusal.Fault.ID_MISMATCH, BoxRefusal.Fault.BAD_SIGNATURE);
        List<NotifyDeliver> handed = List.of(garbage, sealedToAlice, otherRecipient, otherId, forged);
        List<NotifyBoxRefusal> answers = fixture.sent(NotifyBoxRefusal.class);
        assertThat(answers).hasSize(5);
        assertThat(fixture.recipientsOf(NotifyBoxRefusal.class)).containsOnly(OTHER);
        for (int i = 0; i < answers.size(); i++) {
            BoxRefusal refusal = BoxRefusal.decode(answers.get(i).refusal());
            assertThat(refusal).isEqualTo(BoxRefusal.of(handed.get(i).id(), BOB, handed.get(i).box(), faults.get(i)));
            assertThat(refusal.refuses(handed.get(i).box())).isTrue();
            assertThat(NotificationCrypto.verifyBoxRefusal(bob.signingKey(), refusal, answers.get(i).signature()))
                    .isTrue();
        }
        assertThat(fixture.node.counters().get("box-refusal-sent")).isEqualTo(5);

        // a valid notification is delivered and receipted, with no box refusal; nor is there one for a user not
        // homed here (no key to sign with)
        home.onDeliver(fromAlice(n, OTHER));
        home.onDeliver(new NotifyDeliver(randomId, "carol@example.org", junk, OTHER));
        fixture.settle();
        assertThat(inbox).containsExactly(n);
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(OTHER);
        assertThat(fixture.sent(NotifyBoxRefusal.class)).hasSize(5);
    }

    @Test
    void onlyUsersHomedHereAndWellFormedEnvelopesAreTaken() throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "hello");
        NotifyDeliver good = fromAlice(n, HOME);
        home.onDeliver(new NotifyDeliver(n.id(), BOB, null, HOME));
        home.onDeliver(new NotifyDeliver(new byte[3], BOB, good.box(), HOME));
        home.onDeliver(new NotifyDeliver(n.id(), "not an address", good.box(), HOME));
        assertThat(fixture.node.counters().get("rejected.garbage")).isEqualTo(3);

        home.removeUser(BOB);
        home.onDeliver(good);
        fixture.settle();
        assertThat(fixture.node.counters().get("rejected.not-homed")).isEqualTo(1);
        assertThat(inbox).isEmpty();
        assertThat(home.localKeys(BOB)).isNull();

        home.addUser(BOB);
        assertThat(home.localKeys(BOB)).isNotNull();
        home.onDeliver(good);
        fixture.settle();
        assertThat(inbox).containsExactly(n);
    }

    @Test
    void aHomePeerThatDiesBetweenTheAppendAndMarkingTheIdSeenDeliversTheRetryOnce() throws Exception {
        Path file = directory.resolve("seen-ids");
        long window = SeenIds.windowFor(30 * 86_400_000L);
        // the mailbox outlives the process (a folder log in PAST); the sink is idempotent only when asked again
        List<Notification> mailbox = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        NotificationSink appending = new NotificationSink() {
            @Override
            public CompletableFuture<Void> accept(Notification notification, UserCertificate sender) {
                calls.add("accept");
                mailbox.add(notification);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> acceptAgain(Notification notification, UserCertificate sender) {
                calls.add("again");
                if (!mailbox.contains(notification)) {
                    mailbox.add(notification);
                }
                return CompletableFuture.completedFuture(null);
            }
        };
        // the injected failure point: the process dies as it would mark the id seen, after the sink appended
        SeenIds onDisk = SeenIds.file(file, window, fixture.scheduler::now);
        SeenIds dyingAtAdd = new SeenIds() {
            @Override
            public boolean contains(byte[] id) {
                return onDisk.contains(id);
            }

            @Override
            public boolean begun(byte[] id) {
                return onDisk.begun(id);
            }

            @Override
            public CompletableFuture<Void> begin(byte[] id, long date) {
                return onDisk.begin(id, date);
            }

            @Override
            public CompletableFuture<Void> add(byte[] id, long date) {
                throw new IllegalStateException("killed -9 here");
            }

            @Override
            public boolean remembers(long date, long now) {
                return onDisk.remembers(date, now);
            }
        };
        HomeRole beforeCrash = new HomeRole(fixture.node, fixture.accounts, appending, dyingAtAdd);
        beforeCrash.addUser(BOB);
        Notification n = fixture.notification(ALICE, BOB, "across a crash");
        beforeCrash.onDeliver(fromAlice(n, OTHER));
        fixture.settle();
        assertThat(mailbox).containsExactly(n);
        assertThat(fixture.sent(NotifyReceipt.class)).as("died before the receipt").isEmpty();

        // restarted on the same seen-ids file; the delegate retries
        HomeRole restarted = new HomeRole(fixture.node, fixture.accounts, appending,
                SeenIds.file(file, window, fixture.scheduler::now));
        restarted.addUser(BOB);
        restarted.onDeliver(fromAlice(n, OTHER));
        fixture.settle();

        assertThat(calls).containsExactly("accept", "again");
        assertThat(mailbox).containsExactly(n);
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(OTHER);
        assertThat(fixture.node.counters().get("handed-over-again")).isEqualTo(1);
        SeenIds reopened = SeenIds.file(file, window, fixture.scheduler::now);
        assertThat(reopened.contains(n.id())).isTrue();
        assertThat(reopened.begun(n.id())).isFalse();

        // a new notification after the restart is a first hand-over again
        Notification next = fixture.notification(ALICE, BOB, "after the restart");
        restarted.onDeliver(fromAlice(next, OTHER));
        fixture.settle();
        assertThat(calls).containsExactly("accept", "again", "accept");
        assertThat(mailbox).containsExactly(n, next);
    }

    @Test
    void presenceIsAnnouncedOnlyWhileRunning() {
        fixture.settle();
        assertThat(fixture.node.counters().get("presence-announced")).isEqualTo(1);
        fixture.node.setRunning(false);
        fixture.provisionHere("carol@example.org");
        home.addUser("carol@example.org");
        assertThat(fixture.node.counters().get("presence-announced")).isEqualTo(1);
        home.announceAll();
        assertThat(fixture.node.counters().get("presence-announced")).isEqualTo(3);
    }
}
