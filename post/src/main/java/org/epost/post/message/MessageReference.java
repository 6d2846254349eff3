package org.epost.post.message;

import java.util.Objects;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.store.PartReference;

/**
 * The reference of a stored message: its top part (the whole message, or the skeleton naming its other parts) and
 * the message's size in bytes. Encoded in canonical CBOR as {@code [version 1, size: uint, top: bstr (the encoded
 * part reference)]}, at most {@value #MAX_ENCODED_BYTES} bytes. Immutable, equal by value; a class rather than a record
 * only to keep its encoding once made (every message entry of a folder's snapshot or cached view encodes it, and a
 * decode re-encodes it to check it is canonical: a Jackson generator each time otherwise).
 */
public final class MessageReference {
    public static final int VERSION = 1;
    /** Longest encoding: array and version (2), the size (at most 9), the part reference (2 + its longest). */
    public static final int MAX_ENCODED_BYTES = 2 + 9 + 2 + PartReference.MAX_ENCODED_BYTES;
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
        (oversized, message, cause) -> new IllegalArgumentException("malformed message reference: " + message, cause);

    private final PartReference top;
    private final long size;
    /** Made on first use; a race only computes the same bytes twice. */
    private volatile byte[] encoded;

    public MessageReference(PartReference top, long size) {
        this.top = Objects.requireNonNull(top, "top");
        if (size < 0) {
            throw new IllegalArgumentException("Negative message size " + size);
        }
        this.size = size;
    }

    /** The top part: the whole message, or the skeleton naming its other parts. */
    public PartReference top() {
        return top;
    }

    /** The message's size in bytes. */
    public long size() {
        return size;
    }

    public byte[] encode() {
        byte[] bytes = encoded;
        if (bytes == null) {
            bytes = CborRecordWriter.versioned(VERSION, 2, MAX_ENCODED_BYTES).number(size).bytes(top.encode()).end()
                .toBytes();
            encoded = bytes;
        }
        return bytes.clone();
    }

    /** @throws IllegalArgumentException when {@code bytes} is not an encoded message reference (a {@link org.epost.post.store.MalformedPartReferenceException} when its part reference is malformed) */
    public static MessageReference decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("A message reference has at most " + MAX_ENCODED_BYTES + " bytes, not "
                + bytes.length);
        }
        byte[][] part = new byte[1][];
        long size = CborRecordReader.decodeCanonical(bytes, "message reference", FAILURES, in -> {
            in.beginRecord(VERSION, "message reference");
            long value = in.nonNegative("message size");
            part[0] = in.bytes(PartReference.MAX_ENCODED_BYTES);
            in.endArray();
            return value;
        }, value -> CborRecordWriter.versioned(VERSION, 2, MAX_ENCODED_BYTES).number(value).bytes(part[0]).end()
            .toBytes());
        MessageReference decoded = new MessageReference(PartReference.decode(part[0]), size);
        decoded.encoded = bytes.clone(); // checked canonical above, its part reference by its own decode
        return decoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageReference other && size == other.size && top.equals(other.top);
    }

    @Override
    public int hashCode() {
        return 31 * top.hashCode() + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return "MessageReference[top=" + top + ", size=" + size + "]";
    }
}
