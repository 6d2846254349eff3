package org.epost.post.message;

import java.util.Objects;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.store.PartReference;

/**
 * The reference of a stored message: its top part (the whole message, or the skeleton naming its other parts) and
 * the message's size in bytes. Encoded in canonical CBOR as {@code [version 1, size: uint, top: bstr (the encoded
 * part reference)]}, at most {@value #MAX_ENCODED_BYTES} bytes.
 */
public record MessageReference(PartReference top, long size) {
    public static final int VERSION = 1;
    /** Longest encoding: array and version (2), the size (at most 9), the part reference (2 + its longest). */
    public static final int MAX_ENCODED_BYTES = 2 + 9 + 2 + PartReference.MAX_ENCODED_BYTES;
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
        (oversized, message, cause) -> new IllegalArgumentException("malformed message reference: " + message, cause);

    public MessageReference {
        Objects.requireNonNull(top, "top");
        if (size < 0) {
            throw new IllegalArgumentException("Negative message size " + size);
        }
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(VERSION, 2, MAX_ENCODED_BYTES).number(size).bytes(top.encode()).end()
            .toBytes();
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
        return new MessageReference(PartReference.decode(part[0]), size);
    }
}
