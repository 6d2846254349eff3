package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.overlay.wire.MessageTypes;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyReceipts;
import org.epost.post.notify.messages.NotifyBoxRefusal;
import org.epost.post.notify.messages.NotifyRefusal;
import org.junit.jupiter.api.Test;

/** The notification's canonical encoding, its signing and sealing, and the protocol's wire records. */
class NotificationTest {
    private static Notification sample() {
        return Notification.create("Alice@Example.org", "bob@example.org", "Grüße, Bob", 1_700_000_000_000L,
                List.of("ref-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}), 123_456);
    }

    @Test
    void roundTripsCanonically() throws Exception {
        Notification n = sample();
        assertThat(n.sender()).isEqualTo("alice@example.org");
        assertThat(n.id()).hasSize(20);
        Notification decoded = Notification.decode(n.encode());
        assertThat(decoded).isEqualTo(n);
        assertThat(decoded.encode()).isEqualTo(n.encode());
        assertThat(decoded.parts()).hasSize(2);
        assertThat(decoded.subject()).isEqualTo("Grüße, Bob");
        assertThat(Notification.create("a@b.c", "d@e.f", "", 0, List.of(), 0).id()).isNotEqualTo(n.id());
    }

    @Test
    void theEncodingIsDeterministicAndVersioned() throws Exception {
        Notification n = sample();
        Notification same = new Notification(n.id(), n.sender(), n.recipient(), n.subject(), n.date(), n.parts(),
                n.totalSize());
        assertThat(same.encode()).isEqualTo(n.encode());
        byte[] encoded = n.encode();
        assertThat(encoded[0]).as("an array of 8 elements").isEqualTo((byte) 0x88);
        assertThat(encoded[1]).as("format version 1").isEqualTo((byte) 1);
        byte[] expected = new CborRecordWriter(128).record(1, 7).bytes(n.id()).text("alice@example.org")
                .text("bob@example.org").text("Grüße, Bob").number(1_700_000_000_000L).number(123_456)
                .array(2).bytes("ref-1".getBytes(StandardCharsets.UTF_8)).bytes(new byte[] {1, 2, 3}).end()
                .end().toBytes();
        assertThat(encoded).isEqualTo(expected);
        Notification empty = Notification.create("a@b.c", "d@e.f", "", -5, List.of(), 0);
        assertThat(Notification.decode(empty.encode())).isEqualTo(empty);
        assertThat(Notification.decode(empty.encode()).date()).isEqualTo(-5);
    }

    @Test
    void aPuzzleIsCarriedInVersionTwoAndNoPuzzleStaysVersionOne() throws Exception {
        Notification plain = sample();
        Notification puzzled = plain.withPuzzle(new byte[] {9, 8, 7});
        assertThat(plain.hasPuzzle()).isFalse();
        assertThat(plain.encode()[1]).isEqualTo((byte) 1);
        byte[] encoded = puzzled.encode();
        assertThat(encoded[0]).as("an array of 9 elements").isEqualTo((byte) 0x89);
        assertThat(encoded[1]).as("format version 2").isEqualTo((byte) 2);
        Notification decoded = Notification.decode(encoded);
        assertThat(decoded.puzzle()).containsExactly(9, 8, 7);
        assertThat(decoded).isEqualTo(puzzled).isNotEqualTo(plain);
        assertThat(decoded.withPuzzle(new byte[0])).isEqualTo(plain);
        // version 2 with an empty puzzle is not the canonical encoding of a notification without one
        CborRecordWriter out = new CborRecordWriter(256).record(2, 8).bytes(plain.id()).text(plain.sender())
                .text(plain.recipient()).text(plain.subject()).number(plain.date()).number(plain.totalSize());
        byte[] emptyPuzzle = out.list(plain.parts(), out::bytes).bytes(new byte[0]).end().toBytes();
        assertThatThrownBy(() -> Notification.decode(emptyPuzzle)).isInstanceOf(MalformedNotificationException.class);
        assertThatThrownBy(() -> plain.withPuzzle(new byte[Notification.MAX_PUZZLE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("puzzle");
    }

    @Test
    void decodingIsStrict() throws Exception {
        byte[] good = sample().encode();
        assertThatThrownBy(() -> Notification.decode(RecordEncodings.trailing(good)))
                .isInstanceOf(MalformedNotificationException.class).hasMessageContaining("trailing");
        for (byte[] prefix : RecordEncodings.truncations(good)) {
            assertThatThrownBy(() -> Notification.decode(prefix)).as("%d bytes", prefix.length)
                    .isInstanceOf(MalformedNotificationException.class);
        }
        for (byte[] garbage : RecordEncodings.garbage()) {
            assertThatThrownBy(() -> Notification.decode(garbage)).isInstanceOf(MalformedNotificationException.class);
        }
        assertThatThrownBy(() -> Notification.decode(RecordEncodings.withVersion(good, 3)))
                .isInstanceOf(MalformedNotificationException.class).hasMessageContaining("version 3");
        // version 2 names a puzzle: without one it is malformed
        assertThatThrownBy(() -> Notification.decode(RecordEncodings.withVersion(good, 2)))
                .isInstanceOf(MalformedNotificationException.class);
        assertThatThrownBy(() -> Notification.decode(RecordEncodings.nonMinimalVersion(good)))
                .isInstanceOf(MalformedNotificationException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> Notification.decode(RecordEncodings.indefiniteLength(good)))
                .isInstanceOf(MalformedNotificationException.class).hasMessageContaining("canonical");
        // the sender's address with an upper-case letter: valid once normalized, but not the canonical encoding
        // (array, version, id header and 20 bytes, sender header, then the sender's first letter)
        byte[] upper = good.clone();
        assertThat(upper[1 + 1 + 1 + 20 + 1]).isEqualTo((byte) 'a');
        upper[1 + 1 + 1 + 20 + 1] = 'A';
        assertThatThrownBy(() -> Notification.decode(upper)).isInstanceOf(MalformedNotificationException.class)
                .hasMessageContaining("canonical");
        // invalid UTF-8 in the subject
        Notification n = sample();
        int subjectAt = 1 + 1 + 1 + 20 + 1 + n.sender().length() + 1 + n.recipient().length() + 1;
        byte[] utf8 = good.clone();
        assertThat(utf8[subjectAt]).isEqualTo((byte) 'G');
        utf8[subjectAt] = (byte) 0xff;
        assertThatThrownBy(() -> Notification.decode(utf8)).isInstanceOf(MalformedNotificationException.class);
        // bounds: a subject, a part reference or a part count beyond the limits; a short id
        byte[] longSubject = encode(new byte[20], "a@b.c", "d@e.f", "x".repeat(Notification.MAX_SUBJECT_BYTES + 1),
                List.of());
        assertThatThrownBy(() -> Notification.decode(longSubject)).isInstanceOf(MalformedNotificationException.class)
                .hasMessageContaining("exceeds");
        byte[] longPart = encode(new byte[20], "a@b.c", "d@e.f", "",
                List.of(new byte[Notification.MAX_PART_REFERENCE_BYTES + 1]));
        assertThatThrownBy(() -> Notification.decode(longPart)).isInstanceOf(MalformedNotificationException.class)
                .hasMessageContaining("exceeds");
        byte[] manyParts = encode(new byte[20], "a@b.c", "d@e.f", "",
                java.util.Collections.nCopies(Notification.MAX_PARTS + 1, new byte[] {1}));
        assertThatThrownBy(() -> Notification.decode(manyParts)).isInstanceOf(MalformedNotificationException.class)
                .hasMessageContaining("parts");
        byte[] emptyPart = encode(new byte[20], "a@b.c", "d@e.f", "", List.of(new byte[0]));
        assertThatThrownBy(() -> Notification.decode(emptyPart)).isInstanceOf(MalformedNotificationException.class);
        byte[] shortId = encode(new byte[19], "a@b.c", "d@e.f", "", List.of());
        assertThatThrownBy(() -> Notification.decode(shortId)).isInstanceOf(MalformedNotificationException.class)
                .hasMessageContaining("id");
        assertThat(Notification.decode(encode(new byte[20], "a@b.c", "d@e.f", "", List.of())).sender())
                .isEqualTo("a@b.c");
    }

    private static byte[] encode(byte[] id, String sender, String recipient, String subject, List<byte[]> parts) {
        CborRecordWriter out = new CborRecordWriter(256).record(1, 7).bytes(id).text(sender).text(recipient)
                .text(subject).number(0).number(0);
        return out.list(parts, out::bytes).end().toBytes();
    }

    @Test
    void signedAndSealedForTheRecipientOnly() throws Exception {
        KeyPair sender = Signatures.generateKeyPair();
        KeyPair recipient = SealedBox.generateKeyPair();
        Notification n = sample();
        byte[] box = NotificationCrypto.signAndSeal(n, sender.getPrivate(), recipient.getPublic());
        NotificationCrypto.Opened opened = NotificationCrypto.open(recipient, box);
        assertThat(opened.notification()).isEqualTo(n);
        assertThat(NotificationCrypto.verifySender(opened, sender.getPublic())).isTrue();
        assertThat(NotificationCrypto.verifySender(opened, Signatures.generateKeyPair().getPublic())).isFalse();
        assertThatThrownBy(() -> NotificationCrypto.open(SealedBox.generateKeyPair(), box))
                .isInstanceOf(CryptoException.class);
        byte[] tampered = box.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> NotificationCrypto.open(recipient, tampered)).isInstanceOf(CryptoException.class);

        // receipts and presences: bound to their fields and not interchangeable
        byte[] receipt = NotificationCrypto.signReceipt(sender.getPrivate(), n.id(), n.recipient());
        assertThat(NotificationCrypto.verifyReceipt(sender.getPublic(), n.id(), n.recipient(), receipt)).isTrue();
        assertThat(NotificationCrypto.verifyReceipt(sender.getPublic(), sample().id(), n.recipient(), receipt))
                .isFalse();
        assertThat(NotificationCrypto.verifyReceipt(sender.getPublic(), n.id(), "carol@example.org", receipt))
                .isFalse();
        NodeHandle home = new NodeHandle(Id.hash("home"), "sim:1");
        byte[] presence = NotificationCrypto.signPresence(sender.getPrivate(), n.recipient(), home, 42);
        assertThat(NotificationCrypto.verifyPresence(sender.getPublic(), n.recipient(), home, 42, presence)).isTrue();
        assertThat(NotificationCrypto.verifyPresence(sender.getPublic(), n.recipient(),
                new NodeHandle(Id.hash("evil"), "sim:2"), 42, presence)).isFalse();
        assertThat(NotificationCrypto.verifyReceipt(sender.getPublic(), n.id(), n.recipient(), presence)).isFalse();
        assertThat(NotificationCrypto.presenceGroup(sender.getPublic()))
                .isNotEqualTo(NotificationCrypto.presenceGroup(recipient.getPublic()));
    }

    @Test
    void theSealedPlaintextAndTheSignedMessagesAreVersionedCanonicalCbor() throws Exception {
        KeyPair sender = Signatures.generateKeyPair();
        KeyPair recipient = SealedBox.generateKeyPair();
        Notification n = sample();
        byte[] signature = NotificationCrypto.sign(n, sender.getPrivate());
        byte[] plain = NotificationCrypto.sealedPlaintext(n.encode(), signature);
        assertThat(plain).isEqualTo(new CborRecordWriter(256).record(1, 2).bytes(n.encode()).bytes(signature).end()
                .toBytes());
        NotificationCrypto.Opened opened = NotificationCrypto.open(recipient,
                SealedBox.seal(recipient.getPublic(), plain, NotificationCrypto.BOX_CONTEXT));
        assertThat(opened.notification()).isEqualTo(n);
        assertThat(opened.signature()).isEqualTo(signature);

        List<byte[]> bad = RecordEncodings.malformed(plain);
        bad.add(NotificationCrypto.sealedPlaintext(n.encode(), Arrays.copyOf(signature, 63)));
        bad.add(NotificationCrypto.sealedPlaintext(Arrays.copyOf(n.encode(), 10), signature));
        for (byte[] malformed : bad) {
            byte[] box = SealedBox.seal(recipient.getPublic(), malformed, NotificationCrypto.BOX_CONTEXT);
            assertThatThrownBy(() -> NotificationCrypto.open(recipient, box)).as("%d bytes", malformed.length)
                    .isInstanceOf(MalformedNotificationException.class);
        }
        byte[] otherVersion = SealedBox.seal(recipient.getPublic(), RecordEncodings.withVersion(plain, 2),
                NotificationCrypto.BOX_CONTEXT);
        assertThatThrownBy(() -> NotificationCrypto.open(recipient, otherVersion)).hasMessageContaining("version 2");

        // the signed messages: field boundaries are explicit, so shifting bytes between fields changes the message
        NodeHandle home = new NodeHandle(Id.hash("home"), "sim:1");
        assertThat(NotificationCrypto.presenceMessage("bob@example.org", home, 42)).endsWith(
                new CborRecordWriter(64).record(1, 4).text("bob@example.org").bytes(home.id().toBytes()).text("sim:1")
                        .number(42).end().toBytes());
        assertThat(NotificationCrypto.receiptMessage(n.id(), "bob@example.org")).endsWith(
                new CborRecordWriter(64).record(1, 2).bytes(n.id()).text("bob@example.org").end().toBytes());
        assertThat(NotificationCrypto.receiptMessage(new byte[] {1, 2}, "3b@c.d"))
                .isNotEqualTo(NotificationCrypto.receiptMessage(new byte[] {1, 2, '3'}, "b@c.d"));
    }

    @Test
    void wireRecordsRoundTripThroughTheCodec() throws Exception {
        MessageTypes types = NotifyMessageTypes.register(new MessageTypes());
        assertThat(types.all()).hasSize(8);
        CborMessageCodec codec = new CborMessageCodec(types);
        NodeHandle handle = new NodeHandle(Id.hash("node"), "10.0.0.1:7000");
        byte[] id = sample().id();

        NotifyDeliver deliver = (NotifyDeliver) codec.decode(codec.encode(
                new NotifyDeliver(id, "bob@example.org", new byte[] {9, 8}, handle)));
        assertThat(deliver.id()).isEqualTo(id);
        assertThat(deliver.box()).containsExactly(9, 8);
        assertThat(deliver.replyTo()).isEqualTo(handle);

        NotifyReceipt receipt = (NotifyReceipt) codec.decode(codec.encode(
                new NotifyReceipt(id, "bob@example.org", new byte[64])));
        assertThat(receipt.signature()).hasSize(64);

        byte[] batch = new ReceiptBatch("bob@example.org", List.of(id)).encode();
        NotifyReceipts receipts = (NotifyReceipts) codec.decode(codec.encode(new NotifyReceipts(batch,
                new byte[64])));
        assertThat(ReceiptBatch.decode(receipts.batch()).ids()).containsExactly(id);
        assertThat(receipts.signature()).hasSize(64);

        NotifyDelegate delegate = (NotifyDelegate) codec.decode(codec.encode(
                new NotifyDelegate(Id.hash("key"), id, "bob@example.org", new byte[] {1}, handle, true)));
        assertThat(delegate.key()).isEqualTo(Id.hash("key"));
        assertThat(delegate.copy()).isTrue();
        assertThat(delegate.origin()).isEqualTo(handle);

        NotifyKept kept = (NotifyKept) codec.decode(codec.encode(new NotifyKept(new byte[] {5}, new byte[64],
                new byte[] {7, 7})));
        assertThat(kept.ack()).containsExactly(5);
        assertThat(kept.credential()).containsExactly(7, 7);

        NotifyPresence presence = (NotifyPresence) codec.decode(codec.encode(
                new NotifyPresence("bob@example.org", handle, 77, new byte[64])));
        assertThat(presence.home()).isEqualTo(handle);
        assertThat(presence.time()).isEqualTo(77);

        byte[] encodedRefusal = new Refusal(id, "bob@example.org", RefusalReason.QUOTA).encode();
        NotifyRefusal refusal = (NotifyRefusal) codec.decode(codec.encode(new NotifyRefusal(encodedRefusal,
                new byte[64])));
        assertThat(Refusal.decode(refusal.refusal()).reason()).isEqualTo(RefusalReason.QUOTA);
        assertThat(refusal.signature()).hasSize(64);

        byte[] encodedBoxRefusal = BoxRefusal.of(id, "bob@example.org", new byte[] {1},
                BoxRefusal.Fault.DOES_NOT_OPEN).encode();
        NotifyBoxRefusal boxRefusal = (NotifyBoxRefusal) codec.decode(codec.encode(
                new NotifyBoxRefusal(encodedBoxRefusal, new byte[64])));
        assertThat(BoxRefusal.decode(boxRefusal.refusal()).fault()).isEqualTo(BoxRefusal.Fault.DOES_NOT_OPEN);
        assertThat(boxRefusal.signature()).hasSize(64);
    }
}
