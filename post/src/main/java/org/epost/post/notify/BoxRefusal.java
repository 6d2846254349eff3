package org.epost.post.notify;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.crypto.Hashes;

/**
 * The recipient's home peer cannot open a box a delegate handed it: the delegate keeping notification {@code id} for
 * {@code recipient} with exactly the box whose SHA-256 is {@code boxHash} may drop it. Signed with the recipient's
 * certified key ({@link NotificationCrypto#signBoxRefusal}), so only the recipient's home can end a delegation this
 * way; the hash binds it to the bytes that failed, so a hostile node that hands the home garbage under the id of a
 * real notification gets a refusal that no delegate of the real one accepts. Unlike a {@link Refusal} it is not
 * forwarded to the sending peer: whoever made such a box is unknown, or hostile.
 *
 * <p>Canonical CBOR {@code [version 1, id: bstr(20), recipient: tstr, box hash: bstr(32), fault: uint]}; a reader
 * refuses any other version, an unknown fault code and any non-canonical encoding.
 */
public record BoxRefusal(byte[] id, String recipient, byte[] boxHash, Fault fault) {
    static final int VERSION = 1;
    static final int HASH_BYTES = 32;
    private static final CanonicalCborReader.Failures<MalformedNotificationException> FAILURES =
            (oversized, message, cause) -> new MalformedNotificationException("malformed box refusal: " + message);

    /** Why the box cannot be taken. The codes are part of the signed format: add, never renumber. */
    public enum Fault {
        /** Not sealed to the recipient's key, or not a sealed notification at all. */
        DOES_NOT_OPEN(1),
        /** Sealed to the recipient, but the notification inside names someone else. */
        WRONG_RECIPIENT(2),
        /** The id in clear differs from the id sealed inside. */
        ID_MISMATCH(3),
        /** Not signed by the certified key of the sender it names. */
        BAD_SIGNATURE(4),
        /** The sender it names had no certificate at any of several lookups over hours ({@link UnprovenSenders}). */
        UNKNOWN_SENDER(5),
        /** Dated older than the home remembers duplicates, at several deliveries over hours: never acceptable. */
        EXPIRED(6);

        private final int code;

        Fault(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        static Optional<Fault> ofCode(long code) {
            return Arrays.stream(values()).filter(f -> f.code == code).findFirst();
        }
    }

    public BoxRefusal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(boxHash, "boxHash");
        Objects.requireNonNull(fault, "fault");
        if (id.length != Notification.ID_BYTES || boxHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a notification id has " + Notification.ID_BYTES
                    + " bytes and a box hash " + HASH_BYTES);
        }
        if (!AccountAddress.normalize(recipient).equals(recipient)) {
            throw new IllegalArgumentException("recipient address not normalized: " + recipient);
        }
        id = id.clone();
        boxHash = boxHash.clone();
    }

    /** The refusal of {@code box}, as handed over under {@code id} for {@code recipient}. */
    static BoxRefusal of(byte[] id, String recipient, byte[] box, Fault fault) {
        return new BoxRefusal(id, recipient, Hashes.sha256(box), fault);
    }

    /** Whether this refuses exactly {@code box}. */
    boolean refuses(byte[] box) {
        return Arrays.equals(boxHash, Hashes.sha256(box));
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public byte[] boxHash() {
        return boxHash.clone();
    }

    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(VERSION, 4, 128).bytes(id).text(recipient).bytes(boxHash)
                .number(fault.code()).end().toBytes();
    }

    public static BoxRefusal decode(byte[] bytes) throws MalformedNotificationException {
        return CborRecordReader.decodeCanonical(bytes, "box refusal", FAILURES, in -> {
            in.beginRecord(VERSION, "box refusal");
            byte[] id = in.exactBytes("id", Notification.ID_BYTES);
            String recipient = in.text(AccountAddress.MAX_BYTES);
            byte[] hash = in.exactBytes("box hash", HASH_BYTES);
            long code = in.nonNegative("fault");
            in.endArray();
            Fault fault = Fault.ofCode(code).orElseThrow(() -> in.malformed("unknown box fault " + code));
            return new BoxRefusal(id, recipient, hash, fault);
        }, BoxRefusal::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BoxRefusal r && Arrays.equals(id, r.id) && recipient.equals(r.recipient)
                && Arrays.equals(boxHash, r.boxHash) && fault == r.fault;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(id), recipient, Arrays.hashCode(boxHash), fault);
    }

    @Override
    public String toString() {
        return "BoxRefusal[" + idHex() + " for " + recipient + ": " + fault + "]";
    }
}
