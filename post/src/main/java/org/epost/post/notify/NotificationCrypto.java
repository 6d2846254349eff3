package org.epost.post.notify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;

/**
 * The signatures and sealing of the notification protocol. Every signature is over a domain-separated message, so
 * that a signature made for one purpose (a notification, a receipt, a presence) is never valid for another.
 *
 * <ul>
 * <li>Sealed notification: {@code SealedBox(recipient encryption key, canonical notification || Ed25519 signature)}
 * under the context {@value #BOX_CONTEXT}; the signature, by the sender's certified signing key, covers
 * {@code "epost/notify/notification/v1" 0x00 canonical}.</li>
 * <li>Receipt: the recipient's signature over {@code "epost/notify/receipt/v1" 0x00 id recipient}.</li>
 * <li>Presence: the recipient's signature over {@code "epost/notify/presence/v1" 0x00 recipient 0x00 home-id
 * home-address 0x00 time}.</li>
 * </ul>
 */
public final class NotificationCrypto {
    public static final String BOX_CONTEXT = "notification";
    private static final String NOTIFICATION_DOMAIN = "epost/notify/notification/v1";
    private static final String RECEIPT_DOMAIN = "epost/notify/receipt/v1";
    private static final String PRESENCE_DOMAIN = "epost/notify/presence/v1";
    private static final String GROUP_DOMAIN = "epost/notify/group/v1";

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
        byte[] encoded = notification.encode();
        byte[] plain = Arrays.copyOf(encoded, encoded.length + signature.length);
        System.arraycopy(signature, 0, plain, encoded.length, signature.length);
        return SealedBox.seal(recipient, plain, BOX_CONTEXT);
    }

    public static Opened open(KeyPair recipientEncryption, byte[] box)
            throws CryptoException, MalformedNotificationException {
        byte[] plain = SealedBox.open(recipientEncryption, box, BOX_CONTEXT);
        if (plain.length <= Signatures.SIGNATURE_BYTES) {
            throw new MalformedNotificationException("sealed notification of " + plain.length + " bytes");
        }
        int split = plain.length - Signatures.SIGNATURE_BYTES;
        return new Opened(Notification.decode(Arrays.copyOf(plain, split)),
                Arrays.copyOfRange(plain, split, plain.length));
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

    private static byte[] receiptMessage(byte[] id, String recipient) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(id);
        out.writeBytes(recipient.getBytes(StandardCharsets.UTF_8));
        return domain(RECEIPT_DOMAIN, out.toByteArray());
    }

    private static byte[] presenceMessage(String recipient, NodeHandle home, long time) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(recipient.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(home.id().toBytes());
        out.writeBytes(home.address().getBytes(StandardCharsets.UTF_8));
        out.write(0);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (time >>> shift));
        }
        return domain(PRESENCE_DOMAIN, out.toByteArray());
    }

    private static byte[] domain(String domain, byte[] message) {
        byte[] name = domain.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(name, name.length + 1 + message.length);
        System.arraycopy(message, 0, out, name.length + 1, message.length);
        return out;
    }
}
