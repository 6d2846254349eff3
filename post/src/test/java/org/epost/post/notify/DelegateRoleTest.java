package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.notify.RoleFixture.HOME;
import static org.epost.post.notify.RoleFixture.OTHER;
import static org.epost.post.notify.RoleFixture.SELF;

import java.nio.file.Path;
import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.GroupView;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyRefusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delegate role alone: keeping, handing back on presence and retry, the receipt that ends it. */
class DelegateRoleTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    /** Retry every 10 minutes, keep one day. */
    private static final Settings SETTINGS = new Settings(1_000, 2_000, 2, 3, 600_000, 86_400_000);
    private static final Id KEY = Id.hash("delegation key");
    private static final NodeHandle ORIGIN = new NodeHandle(Id.hash("origin"), "sim:3");
    /** The root of the delegations this node takes copies from (with this node and OTHER the closest to KEY). */
    private static final NodeHandle ROOT = new NodeHandle(Id.hash("root"), "sim:6");

    @TempDir
    Path directory;

    private RoleFixture fixture;
    private final DelegateStore store = DelegateStore.inMemory(1L << 30);
    private DelegateRole delegates;
    private UserKeys bobKeys;
    private Id bobGroup;
    private Notification n;
    private byte[] box;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RoleFixture(directory);
        fixture.provisionElsewhere(ALICE);
        UserCertificate bob = fixture.provisionElsewhere(BOB);
        bobKeys = fixture.keysElsewhere(BOB);
        bobGroup = NotificationCrypto.presenceGroup(bob.signingKey());
        delegates = new DelegateRole(fixture.node, fixture.accounts, store, SETTINGS, fixture.signatures);
        fixture.replicas = List.of(ROOT, SELF, OTHER);
        n = fixture.notification(ALICE, BOB, "while you were out");
        box = NotificationCrypto.signAndSeal(n, fixture.keysElsewhere(ALICE).signing().getPrivate(),
                bob.encryptionKey());
    }

    private NotifyPresence presence(UserKeys signer, NodeHandle home, long time) {
        return new NotifyPresence(BOB, home, time, NotificationCrypto.signPresence(signer.signing().getPrivate(), BOB,
                home, time));
    }

    private boolean listening() {
        fixture.settle();
        return fixture.scribe.view(bobGroup).map(GroupView::member).orElse(false);
    }

    @Test
    void keepsHandsBackOnPresenceAndStopsAtTheReceipt() {
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true));
        assertThat(delegates.heldIds()).containsExactly(n.idHex());
        assertThat(store.index()).hasSize(1);
        fixture.settle();
        // kept: the recipient's certificate looked up, its presence group joined, the identity's home tried
        assertThat(listening()).isTrue();
        assertThat(fixture.recipientsOf(NotifyDeliver.class)).containsExactly(HOME);
        // the copy is on disk: acked to the sender, signed with this node's key, as second of the three closest
        assertThat(fixture.recipientsOf(NotifyKept.class)).containsExactly(ORIGIN);
        assertThat(ack(fixture.sent(NotifyKept.class).get(0)))
                .isEqualTo(new DelegationAck(n.id(), KEY, SELF.id(), 1, 3));

        // bob announces himself on another peer: it gets the notification
        delegates.onPresence(bobGroup, presence(bobKeys, OTHER, 10));
        assertThat(fixture.recipientsOf(NotifyDeliver.class)).containsExactly(HOME, OTHER);
        assertThat(fixture.sent(NotifyDeliver.class).get(1).replyTo()).isEqualTo(SELF);
        // an older presence (a replay), one not signed by bob, one on another group: ignored
        delegates.onPresence(bobGroup, presence(bobKeys, OTHER, 9));
        delegates.onPresence(bobGroup, presence(new UserKeys(Signatures.generateKeyPair(), bobKeys.encryption()),
                OTHER, 11));
        delegates.onPresence(Id.hash("another group"), presence(bobKeys, OTHER, 12));
        assertThat(fixture.node.counters().get("rejected.presence")).isEqualTo(3);
        assertThat(fixture.node.counters().get("presence-seen")).isEqualTo(1);
        assertThat(fixture.sent(NotifyDeliver.class)).hasSize(2);

        // a receipt not signed by bob does not end it; bob's does
        delegates.onReceipt(new NotifyReceipt(n.id(), BOB, NotificationCrypto.signReceipt(
                Signatures.generateKeyPair().getPrivate(), n.id(), BOB)));
        assertThat(delegates.heldIds()).hasSize(1);
        delegates.onReceipt(new NotifyReceipt(n.id(), BOB, NotificationCrypto.signReceipt(
                bobKeys.signing().getPrivate(), n.id(), BOB)));
        assertThat(delegates.heldIds()).isEmpty();
        assertThat(store.index()).isEmpty();
        assertThat(listening()).isFalse();
        assertThat(fixture.node.counters().get("delegations-ended")).isEqualTo(1);

        // a copy arriving late is not kept again
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true));
        assertThat(delegates.heldIds()).isEmpty();
    }

    @Test
    void aReceiptBatchSignedByTheRecipientEndsTheDelegationsItNamesAndAForgedOneNone() {
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true));
        fixture.settle();
        byte[] other = fixture.notification(ALICE, BOB, "not kept here").id();
        ReceiptBatch batch = new ReceiptBatch(BOB, List.of(other, n.id()));

        // a batch with a forged member (signed by another key), and bob's signature over one id widened to two
        delegates.onReceipts(batch, batch.encode(), NotificationCrypto.signReceipts(
                Signatures.generateKeyPair().getPrivate(), batch), batch.ids());
        delegates.onReceipts(batch, batch.encode(), NotificationCrypto.signReceipts(bobKeys.signing().getPrivate(),
                new ReceiptBatch(BOB, List.of(other))), batch.ids());
        assertThat(delegates.heldIds()).containsExactly(n.idHex());
        assertThat(fixture.node.counters().get("rejected.receipt")).isEqualTo(2);

        delegates.onReceipts(batch, batch.encode(), NotificationCrypto.signReceipts(bobKeys.signing().getPrivate(),
                batch), batch.ids());
        assertThat(delegates.heldIds()).isEmpty();
        assertThat(store.index()).isEmpty();
        assertThat(fixture.node.counters().get("delegations-ended")).isEqualTo(1);
    }

    @Test
    void aRefusalSignedByTheRecipientEndsTheDelegationGoesToTheSenderAndAForgedOneDoesNot() {
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true));
        fixture.settle();
        Refusal refusal = new Refusal(n.id(), BOB, RefusalReason.QUOTA);

        delegates.onRefusal(refusal, NotificationCrypto.signRefusal(Signatures.generateKeyPair().getPrivate(), refusal));
        assertThat(delegates.heldIds()).containsExactly(n.idHex());
        assertThat(fixture.node.counters().get("rejected.refusal")).isEqualTo(1);

        delegates.onRefusal(refusal, NotificationCrypto.signRefusal(bobKeys.signing().getPrivate(), refusal));
        assertThat(delegates.heldIds()).isEmpty();
        assertThat(store.index()).isEmpty();
        assertThat(fixture.node.counters().get("delegations-refused")).isEqualTo(1);
        // the signed refusal goes on to the sending peer, which bounces the mail
        assertThat(fixture.recipientsOf(NotifyRefusal.class)).containsExactly(ORIGIN);
        assertThat(fixture.sent(NotifyRefusal.class).get(0).refusal()).isEqualTo(refusal.encode());
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true));
        assertThat(delegates.heldIds()).isEmpty();
    }

    @Test
    void aBoxRefusalSignedByTheRecipientForTheKeptBoxDropsItAndFreesItsBytesAndNoOtherDoes() {
        NodeHandle hostile = new NodeHandle(Id.hash("hostile"), "sim:7");
        byte[] garbageId = Id.hash("garbage").toBytes();
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(junk);
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, garbageId, BOB, junk, hostile, true));
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true));
        fixture.settle();
        String garbage = java.util.HexFormat.of().formatHex(garbageId);
        assertThat(delegates.heldIds()).containsExactlyInAnyOrder(garbage, n.idHex());
        long used = store.usedBytes();
        int sentBefore = fixture.sent.size();

        BoxRefusal refusal = BoxRefusal.of(garbageId, BOB, junk, BoxRefusal.Fault.DOES_NOT_OPEN);
        java.security.PrivateKey bobKey = bobKeys.signing().getPrivate();
        java.security.PrivateKey aliceKey;
        try {
            aliceKey = fixture.keysElsewhere(ALICE).signing().getPrivate();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        BoxRefusal forAlice = BoxRefusal.of(garbageId, ALICE, junk, BoxRefusal.Fault.DOES_NOT_OPEN);
        BoxRefusal otherBox = BoxRefusal.of(garbageId, BOB, box, BoxRefusal.Fault.DOES_NOT_OPEN);
        BoxRefusal keptIdOtherBox = BoxRefusal.of(n.id(), BOB, junk, BoxRefusal.Fault.DOES_NOT_OPEN);
        BoxRefusal otherId = BoxRefusal.of(Id.hash("other").toBytes(), BOB, junk, BoxRefusal.Fault.DOES_NOT_OPEN);
        // signed by another key; for another recipient, by that recipient; by bob, for another box, another id
        delegates.onBoxRefusal(refusal, NotificationCrypto.signBoxRefusal(Signatures.generateKeyPair().getPrivate(),
                refusal));
        delegates.onBoxRefusal(forAlice, NotificationCrypto.signBoxRefusal(aliceKey, forAlice));
        delegates.onBoxRefusal(otherBox, NotificationCrypto.signBoxRefusal(bobKey, otherBox));
        delegates.onBoxRefusal(keptIdOtherBox, NotificationCrypto.signBoxRefusal(bobKey, keptIdOtherBox));
        delegates.onBoxRefusal(otherId, NotificationCrypto.signBoxRefusal(bobKey, otherId));
        // a refusal (negative receipt) signature does not pass for a box refusal
        delegates.onBoxRefusal(refusal, NotificationCrypto.signRefusal(bobKey,
                new Refusal(garbageId, BOB, RefusalReason.UNREADABLE)));
        fixture.settle();
        assertThat(delegates.heldIds()).containsExactlyInAnyOrder(garbage, n.idHex());
        assertThat(store.usedBytes()).isEqualTo(used);
        assertThat(fixture.node.counters().get("rejected.box-refusal")).isEqualTo(6);

        delegates.onBoxRefusal(refusal, NotificationCrypto.signBoxRefusal(bobKey, refusal));
        fixture.settle();
        assertThat(delegates.heldIds()).containsExactly(n.idHex());
        assertThat(store.usedBytes()).isEqualTo(used - junk.length);
        assertThat(fixture.node.counters().get("delegations-discarded")).isEqualTo(1);
        // nothing goes to the hostile origin, nor anywhere else; the valid notification is still handed over
        assertThat(fixture.sent.subList(sentBefore, fixture.sent.size())).isEmpty();
        assertThat(listening()).isTrue();
        delegates.onPresence(bobGroup, presence(bobKeys, OTHER, 10));
        assertThat(fixture.sent(NotifyDeliver.class)).last().satisfies(d -> assertThat(d.id()).isEqualTo(n.id()));
        // the same refusal again changes nothing more
        delegates.onBoxRefusal(refusal, NotificationCrypto.signBoxRefusal(bobKey, refusal));
        fixture.settle();
        assertThat(delegates.heldIds()).containsExactly(n.idHex());
        assertThat(fixture.node.counters().get("rejected.box-refusal")).isEqualTo(7);
    }

    @Test
    void theFirstKeeperCopiesToTheOthersAndTellsTheSender() {
        NodeHandle second = new NodeHandle(Id.hash("second"), "sim:4");
        NodeHandle third = new NodeHandle(Id.hash("third"), "sim:5");
        fixture.replicas = List.of(SELF, second, third, OTHER);
        delegates.onDelegate(null, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, false));

        assertThat(fixture.recipientsOf(NotifyDelegate.class)).containsExactly(second, third);
        assertThat(fixture.sent(NotifyDelegate.class)).allSatisfy(copy -> assertThat(copy.copy()).isTrue());
        assertThat(fixture.recipientsOf(NotifyKept.class)).containsExactly(ORIGIN);
        assertThat(ack(fixture.sent(NotifyKept.class).get(0)))
                .isEqualTo(new DelegationAck(n.id(), KEY, SELF.id(), 0, 3));
        assertThat(delegates.heldIds()).containsExactly(n.idHex());

        delegates.onDelegate(null, new NotifyDelegate(KEY, n.id(), BOB, null, ORIGIN, false));
        delegates.onDelegate(null, new NotifyDelegate(KEY, n.id(), "not an address", box, ORIGIN, false));
        assertThat(fixture.node.counters().get("rejected.delegation")).isEqualTo(2);
    }

    @Test
    void aCopyIsTakenOnlyStraightFromOneOfTheClosestAndOnlyByOneOfThem() {
        NotifyDelegate copy = new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, true);
        delegates.onDelegate(null, copy);
        delegates.onDelegate(new NodeHandle(Id.hash("stranger"), "sim:9"), copy);
        fixture.replicas = List.of(ROOT, OTHER, new NodeHandle(Id.hash("third"), "sim:5"));
        delegates.onDelegate(ROOT, copy);
        assertThat(delegates.heldIds()).isEmpty();
        assertThat(fixture.sent(NotifyKept.class)).isEmpty();
        assertThat(fixture.node.counters().get("rejected.delegation-copy")).isEqualTo(3);
    }

    @Test
    void aDelegateThatCannotKeepDoesNotAck() {
        // a store with room for less than this notification
        DelegateStore full = DelegateStore.inMemory(box.length - 1);
        DelegateRole failing = new DelegateRole(fixture.node, fixture.accounts, full, SETTINGS, fixture.signatures);
        failing.onDelegate(null, new NotifyDelegate(KEY, n.id(), BOB, box, ORIGIN, false));
        assertThat(failing.heldIds()).isEmpty();
        assertThat(fixture.node.counters().get("rejected.delegation-full")).isEqualTo(1);
        assertThat(fixture.sent(NotifyKept.class)).as("a root that failed to keep").isEmpty();
        assertThat(fixture.recipientsOf(NotifyDelegate.class)).as("still copies to the others")
                .containsExactly(ROOT, OTHER);
    }

    private DelegationAck ack(NotifyKept kept) {
        try {
            DelegationAck ack = DelegationAck.decode(kept.ack());
            assertThat(fixture.signatures.verify(SELF.id(), kept.credential(), kept.ack(), kept.signature())).isTrue();
            return ack;
        } catch (MalformedNotificationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFreshDelegationForARecipientWithoutCertificateIsDropped() {
        delegates.onDelegate(ROOT, new NotifyDelegate(KEY, n.id(), "nobody@example.org", box, ORIGIN, true));
        fixture.settle();
        assertThat(delegates.heldIds()).isEmpty();
        assertThat(store.index()).isEmpty();
        assertThat(fixture.node.counters().get("rejected.delegation")).isEqualTo(1);
    }

    @Test
    void restoredNotificationsAreRetriedEachRoundWhileRunningAndDroppedAfterTheHoldTime() throws Exception {
        store.put(new DelegateStore.Entry(n.id(), BOB, fixture.scheduler.now(), ORIGIN, box.length), box);
        delegates.resume();
        assertThat(delegates.heldIds()).containsExactly(n.idHex());
        fixture.settle();
        assertThat(fixture.recipientsOf(NotifyDeliver.class)).containsExactly(HOME);

        fixture.scheduler.runFor(SETTINGS.retryIntervalMillis());
        assertThat(fixture.sent(NotifyDeliver.class)).hasSize(2);
        fixture.node.setRunning(false);
        fixture.scheduler.runFor(SETTINGS.retryIntervalMillis());
        assertThat(fixture.sent(NotifyDeliver.class)).as("no retry while stopped").hasSize(2);
        fixture.node.setRunning(true);

        fixture.scheduler.runFor(SETTINGS.holdMillis());
        assertThat(delegates.heldIds()).isEmpty();
        assertThat(store.index()).isEmpty();
        assertThat(fixture.node.counters().get("expired")).isEqualTo(1);
        assertThat(listening()).isFalse();
    }
}
