package org.epost.post.notify;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A delegate's statement "I, node {@code delegate}, have notification {@code id} on disk (forced), as number
 * {@code position} of the {@code count} nodes closest to delegation key {@code key} that I know of". Signed with the
 * delegate's node key ({@link NodeSignatures}); the sender completes a delegated send only with enough of them from
 * distinct delegates, each received straight from the delegate it names.
 *
 * <p>Canonical CBOR {@code [version 1, "epost/delegation-ack", id: bstr(20), key: bstr(20), delegate: bstr(20),
 * position: uint, count: uint]}; a reader refuses any other version or context and any non-canonical encoding.
 */
public record DelegationAck(byte[] id, Id key, Id delegate, int position, int count) {
    static final int VERSION = 1;
    private static final String CONTEXT = "epost/delegation-ack";
    /** More delegates than any configured k: bounds what a reader accepts. */
    static final int MAX_COUNT = 64;
    private static final CanonicalCborReader.Failures<MalformedNotificationException> FAILURES =
            (oversized, message, cause) -> new MalformedNotificationException("malformed delegation ack: " + message);

    public DelegationAck {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(delegate, "delegate");
        if (id.length != Notification.ID_BYTES) {
            throw new IllegalArgumentException("a notification id has " + Notification.ID_BYTES + " bytes");
        }
        if (count < 1 || count > MAX_COUNT || position < 0 || position >= count) {
            throw new IllegalArgumentException("position " + position + " of " + count + " delegates");
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
        return CborRecordWriter.versioned(VERSION, 6, 128).text(CONTEXT).bytes(id).bytes(key.toBytes())
                .bytes(delegate.toBytes()).number(position).number(count).end().toBytes();
    }

    public static DelegationAck decode(byte[] bytes) throws MalformedNotificationException {
        return CborRecordReader.decodeCanonical(bytes, "delegation ack", FAILURES, in -> {
            in.beginRecord(VERSION, "delegation ack");
            String context = in.text(64);
            if (!CONTEXT.equals(context)) {
                throw in.malformed("not a delegation ack: " + context);
            }
            byte[] id = in.exactBytes("id", Notification.ID_BYTES);
            Id key = Id.of(in.exactBytes("key", Id.BYTES));
            Id delegate = Id.of(in.exactBytes("delegate", Id.BYTES));
            int position = in.bounded("position", MAX_COUNT - 1);
            int count = in.bounded("count", MAX_COUNT);
            in.endArray();
            if (count < 1 || position >= count) {
                throw in.malformed("position " + position + " of " + count + " delegates");
            }
            return new DelegationAck(id, key, delegate, position, count);
        }, DelegationAck::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DelegationAck a && Arrays.equals(id, a.id) && key.equals(a.key)
                && delegate.equals(a.delegate) && position == a.position && count == a.count;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(id), key, delegate, position, count);
    }

    @Override
    public String toString() {
        return "DelegationAck[" + idHex() + " by " + delegate + " " + position + "/" + count + "]";
    }
}
