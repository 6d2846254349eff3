package org.epost.post.message;

import java.util.Objects;

import org.epost.post.store.PartReference;

/**
 * The reference of a stored message: its top part (the whole message, or the skeleton naming its other parts) and
 * the message's size in bytes. Encoded as the size (8 bytes, big-endian) followed by the encoded part reference.
 */
public record MessageReference(PartReference top, long size) {
    public static final int ENCODED_BYTES = 8 + PartReference.ENCODED_BYTES;

    public MessageReference {
        Objects.requireNonNull(top, "top");
        if (size < 0) {
            throw new IllegalArgumentException("Negative message size " + size);
        }
    }

    public byte[] encode() {
        byte[] part = top.encode();
        byte[] out = new byte[8 + part.length];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (size >>> (56 - 8 * i));
        }
        System.arraycopy(part, 0, out, 8, part.length);
        return out;
    }

    /** @throws IllegalArgumentException when {@code bytes} is not an encoded message reference (a {@code MalformedPartReferenceException} when its part reference is malformed) */
    public static MessageReference decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != ENCODED_BYTES) {
            throw new IllegalArgumentException("A message reference has " + ENCODED_BYTES + " bytes, not " + bytes.length);
        }
        long size = 0;
        for (int i = 0; i < 8; i++) {
            size = (size << 8) | (bytes[i] & 0xff);
        }
        byte[] part = new byte[PartReference.ENCODED_BYTES];
        System.arraycopy(bytes, 8, part, 0, part.length);
        return new MessageReference(PartReference.decode(part), size);
    }
}
