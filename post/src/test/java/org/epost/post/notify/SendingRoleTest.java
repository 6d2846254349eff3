package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.notify.RoleFixture.HOME;
import static org.epost.post.notify.RoleFixture.SELF;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.assertj.core.api.Assertions;
import org.epost.overlay.past.block.BlockKey;
import org.epost.post.accounts.IdentityBlock;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyReceipt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender role alone: to the home peer, the receipt, and delegation when it does not come. */
class SendingRoleTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    /** 1 s for the receipt, 2 s per delegation attempt, 2 attempts. */
    private static final Settings SETTINGS = new Settings(1_000, 2_000, 2, 3, 600_000, 86_400_000);

    @TempDir
    Path directory;

    private RoleFixture fixture;
    private SendingRole sending;
    private UserKeys bobKeys;

    /** The inline offload of simulations; {@link DeferredOffloadTest} runs the same tests with it deferred. */
    void configure(RoleFixture fixture) {
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RoleFixture(directory);
        configure(fixture);
        fixture.provisionHere(ALICE);
        fixture.provisionElsewhere(BOB);
        bobKeys = fixture.keysElsewhere(BOB);
        // alice is provisioned in this node's vault but not a local user: the sender reads her keys from the vault
        sending = new SendingRole(fixture.node, fixture.accounts, address -> null, SETTINGS, new Random(1),
                fixture.signatures);
    }

    private CompletableFuture<Outcome> send(Notification n) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        sending.send(n, result);
        fixture.settle();
        return result;
    }

    private NotifyReceipt receipt(Notification n, UserKeys signer) {
        return new NotifyReceipt(n.id(), BOB, NotificationCrypto.signReceipt(signer.signing().getPrivate(), n.id(),
                BOB));
    }

    @Test
    void aReceiptSignedByTheRecipientDeliversAndNothingIsDelegated() throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "hello");
        CompletableFuture<Outcome> result = send(n);
        assertThat(fixture.recipientsOf(NotifyDeliver.class)).containsExactly(HOME);
        NotifyDeliver deliver = fixture.sent(NotifyDeliver.class).get(0);
        assertThat(deliver.replyTo()).isEqualTo(SELF);
        assertThat(NotificationCrypto.open(bobKeys.encryption(), deliver.box()).notification()).isEqualTo(n);

        // a receipt not signed by bob's certified key is the sender's to reject
        assertThat(sending.onReceipt(receipt(n, new UserKeys(Signatures.generateKeyPair(),
                bobKeys.encryption())))).isTrue();
        fixture.settle(); // the receipt is checked off the node thread
        assertThat(fixture.node.counters().get("rejected.receipt")).isEqualTo(1);
        assertThat(result).isNotDone();

        assertThat(sending.onReceipt(receipt(n, bobKeys))).isTrue();
        fixture.settle();
        assertThat(result).isCompletedWithValue(Outcome.DELIVERED);
        assertThat(fixture.node.counters().get("receipts-received")).isEqualTo(1);
        fixture.scheduler.runFor(60_000);
        assertThat(fixture.sent(NotifyDelegate.class)).isEmpty();
        // it is over: a receipt again is no longer the sender's
        assertThat(sending.onReceipt(receipt(n, bobKeys))).isFalse();
    }

    @Test
    void theRecipientsIdentityIsLookedUpWhileTheBoxIsSealedNotAfter() {
        fixture.scheduler.deferOffload(); // the sealing runs as a later task, as on the crypto pool
        Notification n = fixture.notification(ALICE, BOB, "overlap");
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        sending.send(n, result);
        BlockKey identity = IdentityBlock.keyFor(bobKeys.signingPublicKey());
        // checked after every task: the identity lookup is under way before the task sealing the box has run
        assertThat(fixture.scheduler.runUntil(() -> fixture.blocks.lookups(identity) > 0, 1_000)).isTrue();
        assertThat(fixture.timed).doesNotContainKey("epost.notify.sender.sealed");
        fixture.settle();
        assertThat(fixture.recipientsOf(NotifyDeliver.class)).containsExactly(HOME);
        assertThat(fixture.timed.get("epost.notify.sender.sealed")).hasSize(1);
        assertThat(fixture.timed.get("epost.notify.sender.sent")).hasSize(1);
        assertThat(sending.onReceipt(receipt(n, bobKeys))).isTrue();
        fixture.settle();
        assertThat(result).isCompletedWithValue(Outcome.DELIVERED);
    }

    private static byte[] signed(ReceiptBatch batch, UserKeys signer) {
        return NotificationCrypto.signReceipts(signer.signing().getPrivate(), batch);
    }

    @Test
    void aReceiptBatchDeliversTheSendsItNamesAndATamperedOrForgedOneNone() throws Exception {
        Notification a = fixture.notification(ALICE, BOB, "a");
        Notification b = fixture.notification(ALICE, BOB, "b");
        Notification c = fixture.notification(ALICE, BOB, "c");
        CompletableFuture<Outcome> toA = send(a);
        CompletableFuture<Outcome> toB = send(b);
        CompletableFuture<Outcome> toC = send(c);
        byte[] abSignature = signed(new ReceiptBatch(BOB, List.of(a.id(), b.id())), bobKeys);

        // bob's signature over {a, b} with c added to the batch: it covers none of them
        byte[] widened = new ReceiptBatch(BOB, List.of(a.id(), b.id(), c.id())).encode();
        assertThat(sending.onReceipts(ReceiptBatch.decode(widened), widened, abSignature)).isEmpty();
        // a batch with a forged member, signed by a key that is not bob's certified one
        ReceiptBatch forged = new ReceiptBatch(BOB, List.of(a.id(), c.id()));
        assertThat(sending.onReceipts(forged, forged.encode(), signed(forged, new UserKeys(
                Signatures.generateKeyPair(), bobKeys.encryption())))).isEmpty();
        // signed by bob, but in the name of another recipient
        ReceiptBatch forCarol = new ReceiptBatch("carol@example.org", List.of(a.id(), b.id()));
        assertThat(sending.onReceipts(forCarol, forCarol.encode(), signed(forCarol, bobKeys))).isEmpty();
        fixture.settle(); // batches are checked off the node thread
        assertThat(fixture.node.counters().get("rejected.receipt")).isEqualTo(3 + 2 + 2);
        assertThat(List.of(toA, toB, toC)).noneMatch(CompletableFuture::isDone);

        // the genuine batch, naming also an id no send here waits for: that one is handed back (to the delegates)
        byte[] notSentHere = fixture.notification(ALICE, BOB, "not sent here").id();
        ReceiptBatch genuine = new ReceiptBatch(BOB, List.of(a.id(), notSentHere, b.id()));
        assertThat(sending.onReceipts(genuine, genuine.encode(), signed(genuine, bobKeys)))
                .containsExactly(notSentHere);
        fixture.settle();
        assertThat(toA).isCompletedWithValue(Outcome.DELIVERED);
        assertThat(toB).isCompletedWithValue(Outcome.DELIVERED);
        assertThat(toC).isNotDone();
        assertThat(fixture.node.counters().get("receipts-received")).isEqualTo(2);
        // it is over for a and b: the same batch again names no send of this node's
        assertThat(sending.onReceipts(genuine, genuine.encode(), signed(genuine, bobKeys))).hasSize(3);
    }

    @Test
    void aRefusalSignedByTheRecipientEndsTheSendForGoodAndAForgedOneIsIgnored() throws Exception {
        Notification n = fixture.notification(ALICE, BOB, "too big");
        CompletableFuture<Outcome> result = send(n);
        Refusal refusal = new Refusal(n.id(), BOB, RefusalReason.QUOTA);

        // signed by any other key (a node that is not bob's home peer): logged, counted, and the send goes on
        UserKeys mallory = new UserKeys(Signatures.generateKeyPair(), bobKeys.encryption());
        assertThat(sending.onRefusal(refusal, NotificationCrypto.signRefusal(mallory.signing().getPrivate(), refusal)))
                .isTrue();
        // bob's genuine refusal of another notification does not fit this id's recipient either
        Refusal forCarol = new Refusal(n.id(), "carol@example.org", RefusalReason.QUOTA);
        assertThat(sending.onRefusal(forCarol, NotificationCrypto.signRefusal(bobKeys.signing().getPrivate(),
                forCarol))).isTrue();
        assertThat(fixture.node.counters().get("rejected.refusal")).isEqualTo(2);
        assertThat(result).isNotDone();

        assertThat(sending.onRefusal(refusal, NotificationCrypto.signRefusal(bobKeys.signing().getPrivate(),
                refusal))).isTrue();
        assertThat(result).isCompletedExceptionally();
        Assertions.assertThatThrownBy(result::join).hasCauseInstanceOf(NotificationRefusedException.class)
                .cause().satisfies(e -> assertThat(((NotificationRefusedException) e).reason())
                        .isEqualTo(RefusalReason.QUOTA));
        fixture.scheduler.runFor(60_000);
        assertThat(fixture.sent(NotifyDelegate.class)).isEmpty();
        assertThat(sending.onRefusal(refusal, NotificationCrypto.signRefusal(bobKeys.signing().getPrivate(),
                refusal))).isFalse();
    }

    @Test
    void withoutAReceiptItDelegatesToFreshKeysUntilTheAttemptsAreUsedUp() {
        Notification n = fixture.notification(ALICE, BOB, "nobody home");
        CompletableFuture<Outcome> result = send(n);
        fixture.scheduler.runFor(SETTINGS.receiptTimeoutMillis());
        assertThat(fixture.sent(NotifyDelegate.class)).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(n.id());
            assertThat(d.origin()).isEqualTo(SELF);
            assertThat(d.copy()).isFalse();
        });
        fixture.scheduler.runFor(SETTINGS.delegateAckTimeoutMillis());
        assertThat(fixture.sent(NotifyDelegate.class)).hasSize(2);
        assertThat(fixture.sent.stream().filter(s -> s.message() instanceof NotifyDelegate).map(s -> s.key())
                .distinct()).hasSize(2);
        assertThat(result).isNotDone();

        fixture.scheduler.runFor(SETTINGS.delegateAckTimeoutMillis());
        assertThat(result).isCompletedExceptionally();
        Assertions.assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NotificationException.class);
        assertThat(fixture.node.counters().get("delegations-started")).isEqualTo(2);
    }

    @Test
    void sendsFailForSendersNotHomedHereAndRecipientsWithoutCertificate() {
        Notification fromBob = fixture.notification(BOB, ALICE, "not mine");
        assertThat(send(fromBob)).isCompletedExceptionally();
        Notification toNobody = fixture.notification(ALICE, "nobody@example.org", "lost");
        assertThat(send(toNobody)).isCompletedExceptionally();
        assertThat(fixture.sent).isEmpty();
    }

    @Test
    void theSameNotificationIsNotSentTwiceAtOnce() {
        Notification n = fixture.notification(ALICE, BOB, "once");
        CompletableFuture<Outcome> first = send(n);
        CompletableFuture<Outcome> second = send(n);
        assertThat(first).isNotDone();
        assertThat(second).isCompletedExceptionally();
        assertThat(fixture.sent(NotifyDeliver.class)).hasSize(1);
    }
}
