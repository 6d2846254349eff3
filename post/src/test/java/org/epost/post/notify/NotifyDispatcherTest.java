package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.notify.RoleFixture.HOME;
import static org.epost.post.notify.RoleFixture.SELF;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyBoxRefusal;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyReceipts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which role gets what, and nothing while stopped; and how a message to this node itself travels. */
class NotifyDispatcherTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final Settings SETTINGS = new Settings(1_000, 2_000, 2, 3, 600_000, 86_400_000);

    @TempDir
    Path directory;

    private RoleFixture fixture;
    private DelegateRole delegates;
    private NotifyDispatcher dispatcher;
    private Notification n;
    private byte[] box;
    private UserCertificate bob;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RoleFixture(directory);
        fixture.provisionElsewhere(ALICE);
        bob = fixture.provisionElsewhere(BOB);
        HomeRole home = new HomeRole(fixture.node, fixture.accounts, (notification, sender) -> {
            throw new AssertionError("nobody is homed here");
        }, SeenIds.inMemory());
        SendingRole sending = new SendingRole(fixture.node, fixture.accounts, home::localKeys, SETTINGS,
                new Random(1), fixture.signatures);
        delegates = new DelegateRole(fixture.node, fixture.accounts, DelegateStore.inMemory(1L << 30), SETTINGS,
                fixture.signatures);
        fixture.replicas = List.of(HOME, SELF);
        dispatcher = new NotifyDispatcher(fixture.node, sending, delegates, home,
                new DelegatedSends(fixture.node, fixture.accounts, SETTINGS));
        n = fixture.notification(ALICE, BOB, "hello");
        box = NotificationCrypto.signAndSeal(n, fixture.keysElsewhere(ALICE).signing().getPrivate(),
                bob.encryptionKey());
    }

    private long counter(String name) {
        return fixture.node.counters().get(name);
    }

    @Test
    void eachMessageGoesToItsRole() throws Exception {
        dispatcher.deliver(SELF.id(), new NotifyDeliver(n.id(), BOB, box, HOME));
        assertThat(counter("rejected.not-homed")).as("to the home role").isEqualTo(1);

        NotifyDelegate copy = new NotifyDelegate(Id.hash("key"), n.id(), BOB, box, HOME, true);
        dispatcher.deliver(SELF.id(), copy);
        assertThat(delegates.heldIds()).as("a routed copy: nobody vouches for its sender").isEmpty();
        dispatcher.deliverDirect(HOME, SELF.id(), copy);
        assertThat(delegates.heldIds()).as("to the delegate role").containsExactly(n.idHex());
        fixture.settle();

        // no send of this node's waits for it: the receipt is the delegate's
        dispatcher.deliver(SELF.id(), new NotifyReceipt(n.id(), BOB, NotificationCrypto.signReceipt(
                fixture.keysElsewhere(BOB).signing().getPrivate(), n.id(), BOB)));
        assertThat(counter("delegations-ended")).isEqualTo(1);
        assertThat(delegates.heldIds()).isEmpty();

        dispatcher.deliver(SELF.id(), new NotifyReceipt(null, BOB, new byte[64]));
        assertThat(counter("rejected.receipt")).isEqualTo(1);
        // a receipt batch that does not decode is dropped here
        dispatcher.deliver(SELF.id(), new NotifyReceipts(new byte[] {1, 2, 3}, new byte[64]));
        assertThat(counter("rejected.receipt")).isEqualTo(2);
        // a box refusal that does not decode is dropped here, one that does goes to the delegate role
        dispatcher.deliver(SELF.id(), new NotifyBoxRefusal(new byte[] {1, 2, 3}, new byte[64]));
        assertThat(counter("rejected.box-refusal")).isEqualTo(1);
        dispatcher.deliver(SELF.id(), new NotifyBoxRefusal(BoxRefusal.of(n.id(), BOB, box,
                BoxRefusal.Fault.DOES_NOT_OPEN).encode(), new byte[64]));
        assertThat(counter("rejected.box-refusal")).as("not kept here any more").isEqualTo(2);
        dispatcher.deliver(SELF.id(), new Message() {
        });
        assertThat(fixture.node.counters().snapshot()).containsOnlyKeys("rejected.not-homed", "kept",
                "delegate-attempts", "delegations-ended", "rejected.receipt", "rejected.delegation-copy",
                "rejected.box-refusal", "kept-acks-sent");
    }

    @Test
    void presenceGoesToTheDelegatesAndNothingGoesAnywhereWhileStopped() {
        dispatcher.deliverDirect(HOME, SELF.id(), new NotifyDelegate(Id.hash("key"), n.id(), BOB, box, HOME, true));
        fixture.settle();
        int sent = fixture.sent.size();
        Id group = NotificationCrypto.presenceGroup(bob.signingKey());
        NotifyPresence presence = new NotifyPresence(BOB, HOME, 1, new byte[64]);

        fixture.node.setRunning(false);
        dispatcher.deliver(SELF.id(), new NotifyDelegate(Id.hash("key"), n.id(), BOB, box, HOME, false));
        dispatcher.presenceUpcalls().deliver(group, presence);
        assertThat(counter("dropped.not-running")).isEqualTo(1);
        assertThat(counter("rejected.presence")).isZero();
        assertThat(fixture.sent).hasSize(sent);

        fixture.node.setRunning(true);
        dispatcher.presenceUpcalls().deliver(group, new NotifyReceipt(n.id(), BOB, new byte[64]));
        assertThat(counter("rejected.presence")).as("not a presence: ignored").isZero();
        dispatcher.presenceUpcalls().deliver(group, presence);
        assertThat(counter("rejected.presence")).as("to the delegate role, which checks it").isEqualTo(1);
    }

    @Test
    void aMessageToThisNodeItselfReachesTheDispatcherOnALaterTask() {
        NotifyReceipt receipt = new NotifyReceipt(n.id(), BOB, new byte[64]);
        fixture.node.sendTo(SELF, receipt);
        assertThat(fixture.looped).isEmpty();
        fixture.settle();
        assertThat(fixture.looped).containsExactly(receipt);
        assertThat(fixture.sent).isEmpty();

        fixture.node.sendTo(HOME, receipt);
        assertThat(fixture.recipientsOf(NotifyReceipt.class)).containsExactly(HOME);
    }
}
