package org.epost.post.notify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.AccountAddress;

/**
 * One receipt for several notifications of one recipient: the home peer signs the batch once with the recipient's
 * certified key ({@link NotificationCrypto#signReceipts}) instead of once per notification, for the notifications one
 * peer waits for that became durable together. The signature covers the whole encoding, so a batch can only be taken
 * as it was signed: every id it names is receipted, and no id it does not name.
 *
 * <p>Canonical CBOR {@code [version 1, recipient: tstr, ids: [bstr(20), ...]]}, 1 to {@value #MAX_IDS} distinct ids in
 * the order the home peer wrote them; a reader refuses any other version, an empty, oversized or repeating list and
 * any non-canonical encoding.
 */
public record ReceiptBatch(String recipient, List<byte[]> ids) {
    static final int VERSION = 1;
    /** Most ids in one batch: bounds what a hostile batch makes a reader decode and look up. */
    public static final int MAX_IDS = 256;
    private static final CanonicalCborReader.Failures<MalformedNotificationException> FAILURES =
            (oversized, message, cause) -> new MalformedNotificationException("malformed receipt batch: " + message);

    public ReceiptBatch {
        if (!AccountAddress.normalize(recipient).equals(recipient)) {
            throw new IllegalArgumentException("recipient address not normalized: " + recipient);
        }
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("a receipt batch names 1 to " + MAX_IDS + " ids, not " + ids.size());
        }
        List<byte[]> copies = new ArrayList<>(ids.size());
        Set<String> distinct = new HashSet<>();
        for (byte[] id : ids) {
            if (id.length != Notification.ID_BYTES) {
                throw new IllegalArgumentException("a notification id has " + Notification.ID_BYTES + " bytes");
            }
            if (!distinct.add(HexFormat.of().formatHex(id))) {
                throw new IllegalArgumentException("id " + HexFormat.of().formatHex(id) + " named twice");
            }
            copies.add(id.clone());
        }
        ids = List.copyOf(copies);
    }

    /** The ids, hex, in the batch's order. */
    public List<String> idsHex() {
        return ids.stream().map(HexFormat.of()::formatHex).toList();
    }

    @Override
    public List<byte[]> ids() {
        return ids.stream().map(byte[]::clone).toList();
    }

    public byte[] encode() {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 2, 32 + ids.size() * (Notification.ID_BYTES + 2))
                .text(recipient);
        return out.list(ids, out::bytes).end().toBytes();
    }

    public static ReceiptBatch decode(byte[] bytes) throws MalformedNotificationException {
        return CborRecordReader.decodeCanonical(bytes, "receipt batch", FAILURES, in -> {
            in.beginRecord(VERSION, "receipt batch");
            String recipient = in.text(AccountAddress.MAX_BYTES);
            List<byte[]> ids = in.list(r -> r.exactBytes("id", Notification.ID_BYTES), MAX_IDS, "receipt batch ids");
            in.endArray();
            try {
                return new ReceiptBatch(recipient, ids);
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }, ReceiptBatch::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceiptBatch b && recipient.equals(b.recipient) && idsHex().equals(b.idsHex());
    }

    @Override
    public int hashCode() {
        return 31 * recipient.hashCode() + idsHex().hashCode();
    }

    @Override
    public String toString() {
        return "ReceiptBatch[" + ids.size() + " ids for " + recipient + "]";
    }
}
