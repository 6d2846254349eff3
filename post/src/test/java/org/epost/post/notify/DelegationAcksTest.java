package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.NotificationService.Settings;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.testing.SimNodeSignatures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender counts delegates, not messages: a delegated send completes only with k valid acks from k distinct
 * delegates, each signed by its node key and received straight from it; forged, replayed, misplaced or outsiders'
 * acks do not count. Hostile nodes here speak the real protocol (the real ack codec and signatures) to the real role.
 */
class DelegationAcksTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    /** 1 s for the receipt, 2 s per delegation attempt, 2 attempts, k = 3. */
    private static final Settings SETTINGS = new Settings(1_000, 2_000, 2, 3, 600_000, 86_400_000);

    @TempDir
    Path directory;

    private RoleFixture fixture;
    private SendingRole sending;
    private Notification n;
    private CompletableFuture<Outcome> result;
    private Id key;
    /** The three nodes closest to the key, closest first, and a fourth farther away. */
    private List<NodeHandle> delegates;
    private NodeHandle outsider;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RoleFixture(directory);
        fixture.provisionHere(ALICE);
        fixture.provisionElsewhere(BOB);
        start(SETTINGS);
    }

    private void start(Settings settings) {
        sending = new SendingRole(fixture.node, fixture.accounts, address -> null, settings, new Random(1),
                fixture.signatures);
        fixture.sent.clear();
        n = fixture.notification(ALICE, BOB, "nobody home " + settings.degradedQuorum());
        result = new CompletableFuture<>();
        sending.send(n, result);
        fixture.settle();
        fixture.scheduler.runFor(SETTINGS.receiptTimeoutMillis());
        key = fixture.sent.stream().filter(s -> s.message() instanceof NotifyDelegate).findFirst().orElseThrow().key();
        List<NodeHandle> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(new NodeHandle(Id.hash("delegate-" + i), "sim:" + (10 + i)));
        }
        nodes.sort(Comparator.comparing(h -> h.id().distance(key)));
        delegates = nodes.subList(0, 3);
        outsider = nodes.get(3);
        // this node knows the neighbourhood of the key (as a sender near it would): it can tell who is among the k
        fixture.replicas = nodes;
    }

    /** The ack {@code node} would send as number {@code position} of {@code count}, signed with {@code signer}. */
    private NotifyKept ack(NodeHandle node, int position, int count, byte[] id, Id ackKey, SimNodeSignatures signer) {
        byte[] encoded = new DelegationAck(id, ackKey, node.id(), position, count).encode();
        return new NotifyKept(encoded, signer.sign(encoded), signer.credential());
    }

    private NotifyKept honest(int position) {
        NodeHandle node = delegates.get(position);
        return ack(node, position, 3, n.id(), key, fixture.keyring.of(node.id()));
    }

    private long rejected() {
        return fixture.node.counters().get("rejected.ack");
    }

    @Test
    void kValidAcksFromDistinctDelegatesCompleteTheSendAndFewerDoNot() {
        sending.onKept(delegates.get(0), honest(0));
        sending.onKept(delegates.get(1), honest(1));
        assertThat(result).isNotDone();
        sending.onKept(delegates.get(2), honest(2));
        assertThat(result).isCompletedWithValue(Outcome.DELEGATED);
        assertThat(rejected()).isZero();
    }

    @Test
    void forgedAcksDoNotCount() {
        // signed by a key that is not the delegate's
        NodeHandle first = delegates.get(0);
        sending.onKept(first, ack(first, 0, 3, n.id(), key, fixture.keyring.unregistered(first.id())));
        // an honest ack whose bytes were altered after signing (another position)
        NotifyKept genuine = honest(1);
        byte[] altered = new DelegationAck(n.id(), key, delegates.get(1).id(), 2, 3).encode();
        sending.onKept(delegates.get(1), new NotifyKept(altered, genuine.signature(), genuine.credential()));
        // garbage and a non-canonical encoding
        sending.onKept(first, new NotifyKept(new byte[] {1, 2, 3}, new byte[64], new byte[32]));
        sending.onKept(first, new NotifyKept(CborRecordWriter.versioned(2, 1, 8).text("x").end().toBytes(),
                new byte[64], new byte[32]));
        assertThat(rejected()).isEqualTo(4);
        assertThat(result).isNotDone();
    }

    @Test
    void anAckCountsOnlyStraightFromTheDelegateItNames() {
        // the root relays the others' (genuine) acks, or claims them as its own: neither counts
        sending.onKept(delegates.get(0), honest(0));
        sending.onKept(delegates.get(0), honest(1));
        sending.onKept(delegates.get(0), honest(2));
        sending.onKept(null, honest(1));
        assertThat(rejected()).isEqualTo(3);
        assertThat(result).isNotDone();
    }

    @Test
    void replayedAcksCountOnce() {
        sending.onKept(delegates.get(0), honest(0));
        sending.onKept(delegates.get(0), honest(0));
        sending.onKept(delegates.get(0), honest(0));
        assertThat(fixture.node.counters().get("acks-repeated")).isEqualTo(2);
        // the same delegate's ack of another notification, or of another key, does not count for this one
        byte[] otherId = fixture.notification(ALICE, BOB, "another").id();
        SimNodeSignatures second = fixture.keyring.of(delegates.get(1).id());
        sending.onKept(delegates.get(1), ack(delegates.get(1), 1, 3, n.id(), Id.hash("old key"), second));
        sending.onKept(delegates.get(1), ack(delegates.get(1), 1, 3, otherId, key, second));
        assertThat(fixture.node.counters().get("acks-unexpected")).isEqualTo(1);
        assertThat(rejected()).isEqualTo(1);
        assertThat(result).isNotDone();
    }

    @Test
    void acksFromNodesNotAmongTheClosestOrAtATakenPositionDoNotCount() {
        SimNodeSignatures outsiderKey = fixture.keyring.of(outsider.id());
        sending.onKept(outsider, ack(outsider, 2, 3, n.id(), key, outsiderKey));
        sending.onKept(delegates.get(0), honest(0));
        sending.onKept(delegates.get(1), honest(1));
        // a colluding node claims the position already counted
        NodeHandle third = delegates.get(2);
        sending.onKept(third, ack(third, 1, 3, n.id(), key, fixture.keyring.of(third.id())));
        // more delegates than k
        sending.onKept(third, ack(third, 3, 4, n.id(), key, fixture.keyring.of(third.id())));
        assertThat(rejected()).isEqualTo(3);
        assertThat(result).isNotDone();
        sending.onKept(third, honest(2));
        assertThat(result).isCompletedWithValue(Outcome.DELEGATED);
    }

    @Test
    void aDelegateThatAcksWithoutKeepingCannotCompleteTheSendAlone() {
        // one node acks (whether it kept or not); the other delegates are down: the send fails, no 250
        sending.onKept(delegates.get(0), honest(0));
        fixture.scheduler.runFor(2 * SETTINGS.delegateAckTimeoutMillis());
        assertThat(result).isCompletedExceptionally();
    }

    @Test
    void aDegradedQuorumIsMeasuredOnTheLiveDelegatesTheAcksReport() {
        start(SETTINGS.withDegradedQuorum(true));
        NodeHandle only = delegates.get(0);
        // without the degraded mode a lone delegate never suffices (above); with it, one that sees no other does
        sending.onKept(only, ack(only, 0, 1, n.id(), key, fixture.keyring.of(only.id())));
        assertThat(result).isCompletedWithValue(Outcome.DELEGATED);
        assertThat(SETTINGS.quorum(1)).isEqualTo(3);
        assertThat(SETTINGS.withDegradedQuorum(true).quorum(2)).isEqualTo(2);
        assertThat(SETTINGS.withDegradedQuorum(true).quorum(7)).isEqualTo(3);
    }

    @Test
    void theAckCodecIsCanonicalAndBounded() throws Exception {
        DelegationAck ack = new DelegationAck(n.id(), key, delegates.get(0).id(), 1, 3);
        assertThat(DelegationAck.decode(ack.encode())).isEqualTo(ack);
        assertThatThrownBy(() -> new DelegationAck(n.id(), key, key, 3, 3)).isInstanceOf(
                IllegalArgumentException.class);
        byte[] wrongContext = CborRecordWriter.versioned(DelegationAck.VERSION, 6, 128).text("epost/other")
                .bytes(n.id()).bytes(key.toBytes()).bytes(key.toBytes()).number(0).number(1).end().toBytes();
        assertThatThrownBy(() -> DelegationAck.decode(wrongContext))
                .isInstanceOf(MalformedNotificationException.class).hasMessageContaining("not a delegation ack");
        byte[] badPosition = CborRecordWriter.versioned(DelegationAck.VERSION, 6, 128).text("epost/delegation-ack")
                .bytes(n.id()).bytes(key.toBytes()).bytes(key.toBytes()).number(2).number(2).end().toBytes();
        assertThatThrownBy(() -> DelegationAck.decode(badPosition))
                .isInstanceOf(MalformedNotificationException.class);
    }
}
