package org.epost.post.notify;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.AccountAddress;

/**
 * A negative receipt: the recipient's home peer says notification {@code id} for {@code recipient} will never be
 * delivered, and why. It is signed with the recipient's certified key ({@link NotificationCrypto#signRefusal}), so
 * only the peer holding that key, the recipient's home, can make a sender bounce a mail.
 *
 * <p>Canonical CBOR {@code [version 1, id: bstr(20), recipient: tstr, reason: uint]}; a reader refuses any other
 * version, an unknown reason code and any non-canonical encoding.
 */
public record Refusal(byte[] id, String recipient, RefusalReason reason) {
    static final int VERSION = 1;
    private static final CanonicalCborReader.Failures<MalformedNotificationException> FAILURES =
            (oversized, message, cause) -> new MalformedNotificationException("malformed refusal: " + message);

    public Refusal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        if (id.length != Notification.ID_BYTES) {
            throw new IllegalArgumentException("a notification id has " + Notification.ID_BYTES + " bytes");
        }
        if (!AccountAddress.normalize(recipient).equals(recipient)) {
            throw new IllegalArgumentException("recipient address not normalized: " + recipient);
        }
        id = id.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(VERSION, 3, 96).bytes(id).text(recipient).number(reason.code()).end()
                .toBytes();
    }

    public static Refusal decode(byte[] bytes) throws MalformedNotificationException {
        return CborRecordReader.decodeCanonical(bytes, "refusal", FAILURES, in -> {
            in.beginRecord(VERSION, "refusal");
            byte[] id = in.exactBytes("id", Notification.ID_BYTES);
            String recipient = in.text(AccountAddress.MAX_BYTES);
            long code = in.nonNegative("reason");
            in.endArray();
            RefusalReason reason = RefusalReason.ofCode(code)
                    .orElseThrow(() -> in.malformed("unknown refusal reason " + code));
            return new Refusal(id, recipient, reason);
        }, Refusal::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Refusal r && Arrays.equals(id, r.id) && recipient.equals(r.recipient)
                && reason == r.reason;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(id) + recipient.hashCode()) + reason.hashCode();
    }

    @Override
    public String toString() {
        return "Refusal[" + idHex() + " for " + recipient + ": " + reason + "]";
    }
}
