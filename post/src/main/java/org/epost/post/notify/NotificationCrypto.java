package org.epost.post.notify;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;

/**
 * The signatures and sealing of the notification protocol. Every signature is over a domain-separated message, so
 * that a signature made for one purpose (a notification, a receipt, a presence) is never valid for another.
 *
 * <ul>
 * <li>Sealed notification: {@code SealedBox(recipient encryption key, [version 1, canonical notification: bstr,
 * Ed25519 signature: bstr(64)])} (canonical CBOR, the project's record convention) under the context
 * {@value #BOX_CONTEXT}; the signature, by the sender's certified signing key, covers
 * {@code "epost/notify/notification/v1" 0x00 canonical}.</li>
 * <li>Receipt: the recipient's signature over {@code "epost/notify/receipt/v1" 0x00 [version 1, id: bstr, recipient:
 * tstr]}.</li>
 * <li>Receipt batch (one receipt for several notifications): the recipient's signature over
 * {@code "epost/notify/receipts/v1" 0x00} and the canonical {@link ReceiptBatch}.</li>
 * <li>Refusal (negative receipt): the recipient's signature over {@code "epost/notify/refusal/v1" 0x00} and the
 * canonical {@link Refusal} ({@code [version 1, id, recipient, reason]}).</li>
 * <li>Box refusal (a box the home cannot open): the recipient's signature over
 * {@code "epost/notify/box-refusal/v1" 0x00} and the canonical {@link BoxRefusal}.</li>
 * <li>Presence: the recipient's signature over {@code "epost/notify/presence/v1" 0x00 [version 1, recipient: tstr,
 * home id: bstr, home address: tstr, time: int]}.</li>
 * </ul>
 * The signed messages are canonical CBOR so that no two field values give the same bytes.
 */
public final class NotificationCrypto {
    public static final String BOX_CONTEXT = "notification";
    private static final String NOTIFICATION_DOMAIN = "epost/notify/notification/v1";
    private static final String RECEIPT_DOMAIN = "epost/notify/receipt/v1";
    private static final String RECEIPTS_DOMAIN = "epost/notify/receipts/v1";
    private static final String REFUSAL_DOMAIN = "epost/notify/refusal/v1";
    private static final String BOX_REFUSAL_DOMAIN = "epost/notify/box-refusal/v1";
    private static final String PRESENCE_DOMAIN = "epost/notify/presence/v1";
    private static final String GROUP_DOMAIN = "epost/notify/group/v1";
    /** Format version of the sealed plaintext and of the signed receipt and presence messages. */
    static final int VERSION = 1;
    /** Largest encoded notification a box may hold (all its fields at their bounds fit well within). */
    static final int MAX_NOTIFICATION_BYTES = 8 << 20;
    private static final CanonicalCborReader.Failures<MalformedNotificationException> FAILURES =
            (oversized, message, cause) -> new MalformedNotificationException("malformed sealed notification: "
                    + message);

    private NotificationCrypto() {
    }

    /** A notification opened from its box, with the sender's signature still to be checked. */
    public record Opened(Notification notification, byte[] signature) {
    }

    public static byte[] sign(Notification notification, PrivateKey senderSigning) {
        return Signatures.sign(senderSigning, domain(NOTIFICATION_DOMAIN, notification.encode()));
    }

    /** Signs {@code notification} with the sender's key and seals it to the recipient's encryption key. */
    public static byte[] signAndSeal(Notification notification, PrivateKey senderSigning, PublicKey recipient) {
        return seal(notification, sign(notification, senderSigning), recipient);
    }

    /** Seals an already signed notification (tests: forged signatures). */
    public static byte[] seal(Notification notification, byte[] signature, PublicKey recipient) {
        return SealedBox.seal(recipient, sealedPlaintext(notification.encode(), signature), BOX_CONTEXT);
    }

    static byte[] sealedPlaintext(byte[] encodedNotification, byte[] signature) {
        return CborRecordWriter.versioned(VERSION, 2, encodedNotification.length + signature.length + 16)
                .bytes(encodedNotification).bytes(signature).end().toBytes();
    }

    public static Opened open(KeyPair recipientEncryption, byte[] box)
            throws CryptoException, MalformedNotificationException {
        return openPlaintext(SealedBox.open(recipientEncryption, box, BOX_CONTEXT));
    }

    /** The notification and signature of a box's plaintext; anything but its canonical encoding is malformed. */
    static Opened openPlaintext(byte[] plain) throws MalformedNotificationException {
        byte[][] fields = CborRecordReader.decodeCanonical(plain, "sealed notification", FAILURES, in -> {
            in.beginRecord(VERSION, "sealed notification");
            byte[] notification = in.bytes(MAX_NOTIFICATION_BYTES);
            byte[] signature = in.exactBytes("signature", Signatures.SIGNATURE_BYTES);
            in.endArray();
            return new byte[][] {notification, signature};
        }, decoded -> sealedPlaintext(decoded[0], decoded[1]));
        return new Opened(Notification.decode(fields[0]), fields[1]);
    }

    public static boolean verifySender(Opened opened, PublicKey senderSigning) {
        return Signatures.verify(senderSigning, domain(NOTIFICATION_DOMAIN, opened.notification().encode()),
                opened.signature());
    }

    public static byte[] signReceipt(PrivateKey recipientSigning, byte[] id, String recipient) {
        return Signatures.sign(recipientSigning, receiptMessage(id, recipient));
    }

    public static boolean verifyReceipt(PublicKey recipientSigning, byte[] id, String recipient, byte[] signature) {
        return signature != null && Signatures.verify(recipientSigning, receiptMessage(id, recipient), signature);
    }

    public static byte[] signReceipts(PrivateKey recipientSigning, ReceiptBatch batch) {
        return Signatures.sign(recipientSigning, domain(RECEIPTS_DOMAIN, batch.encode()));
    }

    /** Whether {@code signature} is the recipient's over exactly the encoded batch {@code encodedBatch}. */
    public static boolean verifyReceipts(PublicKey recipientSigning, byte[] encodedBatch, byte[] signature) {
        return signature != null && Signatures.verify(recipientSigning, domain(RECEIPTS_DOMAIN, encodedBatch),
                signature);
    }

    public static byte[] signRefusal(PrivateKey recipientSigning, Refusal refusal) {
        return Signatures.sign(recipientSigning, domain(REFUSAL_DOMAIN, refusal.encode()));
    }

    public static boolean verifyRefusal(PublicKey recipientSigning, Refusal refusal, byte[] signature) {
        return signature != null && Signatures.verify(recipientSigning, domain(REFUSAL_DOMAIN, refusal.encode()),
                signature);
    }

    public static byte[] signBoxRefusal(PrivateKey recipientSigning, BoxRefusal refusal) {
        return Signatures.sign(recipientSigning, domain(BOX_REFUSAL_DOMAIN, refusal.encode()));
    }

    public static boolean verifyBoxRefusal(PublicKey recipientSigning, BoxRefusal refusal, byte[] signature) {
        return signature != null && Signatures.verify(recipientSigning,
                domain(BOX_REFUSAL_DOMAIN, refusal.encode()), signature);
    }

    public static byte[] signPresence(PrivateKey recipientSigning, String recipient, NodeHandle home, long time) {
        return Signatures.sign(recipientSigning, presenceMessage(recipient, home, time));
    }

    public static boolean verifyPresence(PublicKey recipientSigning, String recipient, NodeHandle home, long time,
                                         byte[] signature) {
        return signature != null && home != null
                && Signatures.verify(recipientSigning, presenceMessage(recipient, home, time), signature);
    }

    /** The Scribe group on which a user's home peer announces itself: H(domain, the user's signing key). */
    public static Id presenceGroup(PublicKey recipientSigning) {
        return Id.hash(domain(GROUP_DOMAIN, recipientSigning.getEncoded()));
    }

    static byte[] receiptMessage(byte[] id, String recipient) {
        return domain(RECEIPT_DOMAIN, CborRecordWriter.versioned(VERSION, 2, 96).bytes(id).text(recipient).end()
                .toBytes());
    }

    static byte[] presenceMessage(String recipient, NodeHandle home, long time) {
        return domain(PRESENCE_DOMAIN, CborRecordWriter.versioned(VERSION, 4, 128).text(recipient)
                .bytes(home.id().toBytes()).text(home.address()).number(time).end().toBytes());
    }

    private static byte[] domain(String domain, byte[] message) {
        byte[] name = domain.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(name, name.length + 1 + message.length);
        System.arraycopy(message, 0, out, name.length + 1, message.length);
        return out;
    }
}
