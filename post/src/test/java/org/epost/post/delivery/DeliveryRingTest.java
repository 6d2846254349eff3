package org.epost.post.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.epost.post.delivery.DeliveryRing.Peer;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery end to end on a simulated 10-node ring: one store, one notification per recipient, fetched at home. */
class DeliveryRingTest {
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static final String DAVE = "dave@epost.test";

    @TempDir
    Path directory;

    private static byte[] messageWithAttachment(int attachmentBytes, long seed) {
        byte[] attachment = Seeded.bytes(attachmentBytes, seed);
        String base64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(attachment);
        return ("From: alice@epost.test\r\nTo: bob@epost.test, carol@epost.test\r\nCc: dave@epost.test\r\n"
            + "Subject: =?UTF-8?Q?Quartalsbericht_f=C3=BCr_alle?=\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"sep\"\r\n\r\n"
            + "--sep\r\nContent-Type: text/plain\r\n\r\nSee the report.\r\n"
            + "--sep\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64
            + "\r\n--sep--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static long storedBytes(DeliveryRing ring) {
        return ring.peers.stream().mapToLong(p -> p.post().store().usedBytes()).sum();
    }

    @Test
    void oneMessageToThreeRecipientsIsStoredOnceAndReadByteForByteAtEachHome() {
        DeliveryRing ring = new DeliveryRing(10, 4, directory);
        Peer alicePeer = ring.peers.get(0);
        List<Peer> homes = List.of(ring.peers.get(3), ring.peers.get(6), ring.peers.get(8));
        ring.provision(alicePeer, ALICE);
        ring.provision(homes.get(0), BOB);
        ring.provision(homes.get(1), CAROL);
        ring.provision(homes.get(2), DAVE);
        byte[] message = messageWithAttachment(2_000_000, 1);
        long before = storedBytes(ring);

        DeliveryReport report = ring.await(alicePeer.sender().deliver(new OutgoingMessage(message, Optional.of(ALICE),
            List.of(BOB, CAROL, DAVE), "mail-1")));

        assertThat(report.failed()).isEmpty();
        assertThat(report.handled()).containsOnlyKeys(BOB, CAROL, DAVE).containsValues(Outcome.DELIVERED);
        for (int i = 0; i < homes.size(); i++) {
            assertThat(homes.get(i).inbox()).hasSize(1);
            DeliveryRing.Received received = homes.get(i).inbox().get(0);
            assertThat(received.recipient()).isEqualTo(List.of(BOB, CAROL, DAVE).get(i));
            assertThat(received.message()).isEqualTo(message);
            assertThat(received.signedBy()).as("an authenticated local sender signs herself").isEqualTo(ALICE);
        }
        // stored once: k = 3 replicas of about 2.7 MB of ciphertext, not one copy per recipient
        long stored = storedBytes(ring) - before;
        assertThat(stored).isBetween(3L * message.length, 4L * message.length);
    }

    @Test
    void mailThatNoLocalUserVouchesForIsSignedByThePeersRelayAccount() {
        DeliveryRing ring = new DeliveryRing(8, 5, directory);
        Peer entry = ring.peers.get(1);
        Peer bobPeer = ring.peers.get(5);
        ring.provision(entry, ALICE);
        ring.provision(bobPeer, BOB);
        byte[] message = "From: someone@elsewhere.example\r\nSubject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

        DeliveryReport unauthenticated = ring.await(entry.sender().deliver(new OutgoingMessage(message, Optional.empty(),
            List.of(BOB), "m1")));
        DeliveryReport notHomedHere = ring.await(entry.sender().deliver(new OutgoingMessage(message,
            Optional.of(CAROL), List.of(BOB), "m2")));

        assertThat(unauthenticated.allHandled()).isTrue();
        assertThat(notHomedHere.allHandled()).isTrue();
        assertThat(bobPeer.inbox()).extracting(DeliveryRing.Received::signedBy)
            .containsExactly(entry.relay().address(), entry.relay().address());
        assertThat(entry.relay().address()).startsWith("relay-").endsWith("@" + RelayAccount.DOMAIN);
    }

    @Test
    void theSameDeliveryRetriedIsDeliveredOnceAndAnotherDeliveryAgain() {
        DeliveryRing ring = new DeliveryRing(8, 6, directory);
        Peer alicePeer = ring.peers.get(2);
        Peer bobPeer = ring.peers.get(4);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);
        byte[] message = messageWithAttachment(30_000, 2);

        OutgoingMessage first = new OutgoingMessage(message, Optional.of(ALICE), List.of(BOB), "mail-7");
        assertThat(ring.await(alicePeer.sender().deliver(first)).allHandled()).isTrue();
        assertThat(ring.await(alicePeer.sender().deliver(first)).handled()).containsEntry(BOB, Outcome.DELIVERED);
        assertThat(bobPeer.inbox()).hasSize(1);
        assertThat(bobPeer.post().notifications().counter("rejected.duplicate")).isEqualTo(1);

        ring.await(alicePeer.sender().deliver(new OutgoingMessage(message, Optional.of(ALICE), List.of(BOB), "mail-8")));
        assertThat(bobPeer.inbox()).hasSize(2);
    }

    @Test
    void aRecipientWhoseHomeIsNotRunningIsDelegatedAndGetsTheMessageWhenItIsBack() {
        DeliveryRing ring = new DeliveryRing(10, 7, directory);
        Peer alicePeer = ring.peers.get(0);
        Peer bobPeer = ring.peers.get(5);
        Peer carolPeer = ring.peers.get(7);
        ring.provision(alicePeer, ALICE);
        ring.provision(bobPeer, BOB);
        ring.provision(carolPeer, CAROL);
        bobPeer.post().notifications().stop();
        ring.scheduler.runFor(100);
        byte[] message = messageWithAttachment(100_000, 3);

        DeliveryReport report = ring.await(alicePeer.sender().deliver(new OutgoingMessage(message, Optional.of(ALICE),
            List.of(BOB, CAROL), "mail-9")));

        assertThat(report.handled()).containsEntry(BOB, Outcome.DELEGATED).containsEntry(CAROL, Outcome.DELIVERED);
        assertThat(bobPeer.inbox()).isEmpty();
        ring.scheduler.runFor(60_000);
        bobPeer.post().notifications().start();
        ring.scheduler.runUntil(() -> !bobPeer.inbox().isEmpty(), ring.scheduler.now() + 10 * 60_000);
        ring.scheduler.runFor(10 * 60_000);
        assertThat(bobPeer.inbox()).hasSize(1);
        assertThat(bobPeer.inbox().get(0).message()).isEqualTo(message);
        assertThat(carolPeer.inbox()).hasSize(1);
    }

    @Test
    void theDirectoryTellsEpostAccountsUnknownAddressesAndOtherDomainsApart() {
        DeliveryRing ring = new DeliveryRing(6, 8, directory);
        Peer peer = ring.peers.get(1);
        ring.provision(ring.peers.get(3), BOB);
        RecipientDirectory recipients = peer.sender().recipients();

        assertThat(ring.await(recipients.lookup("Bob@EPOST.test"))).isEqualTo(RecipientDirectory.Status.EPOST);
        assertThat(ring.await(recipients.lookup("nobody@epost.test"))).isEqualTo(RecipientDirectory.Status.UNKNOWN);
        assertThat(ring.await(recipients.lookup("bob@example.com"))).isEqualTo(RecipientDirectory.Status.NOT_EPOST_DOMAIN);
    }
}
