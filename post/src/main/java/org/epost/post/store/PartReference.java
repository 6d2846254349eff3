package org.epost.post.store;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.SegmentedAead;

/**
 * What a reader needs to fetch and decrypt one stored MIME part: the handle of its top block, the key, the plaintext
 * size, the layout and whether the part was padded. It travels inside signed, encrypted notifications, so it has one
 * compact canonical encoding ({@link #encode()}, at most {@value #MAX_ENCODED_BYTES} bytes) and {@link #decode}
 * accepts nothing else.
 *
 * <p>Encoding, canonical CBOR (the project's record convention, {@link CborRecordWriter}):
 * <pre>
 *   [version 1,
 *    layout: 0 = SINGLE, 1 = MANIFEST,
 *    padded: 0 or 1,
 *    handle: bstr(20), the top block (content-hash block: the part's ciphertext, or its manifest),
 *    key: bstr(32), convergent H(part), or random for a padded part,
 *    size: uint, plaintext bytes, 0 .. {@link #MAX_SIZE}]
 * </pre>
 * A padded part is always SINGLE and smaller than {@link #MAX_PADDED_SIZE}; a MANIFEST part is never empty.
 *
 * <p>The key is secret: {@link #toString()} does not show it.
 */
public final class PartReference {
    public static final int VERSION = 1;
    /**
     * Longest encoding: the array and version (2), layout and padded (2), the handle (1 + 20), the key (2 + 32) and
     * the size (at most 5, as sizes are at most {@link #MAX_SIZE}).
     */
    public static final int MAX_ENCODED_BYTES = 2 + 2 + 1 + Id.BYTES + 2 + SegmentedAead.KEY_BYTES + 5;
    /** Largest part a reference can name: parts are handled in memory (a byte[] of ciphertext must fit). */
    public static final long MAX_SIZE = 1L << 30;
    /** Padding is for small parts only: the padding threshold is at most this. */
    public static final int MAX_PADDED_SIZE = 64 * 1024;

    private static final CanonicalCborReader.Failures<MalformedPartReferenceException> FAILURES =
        (oversized, message, cause) -> new MalformedPartReferenceException(message);

    public enum Layout {
        /** The top block is the part's whole ciphertext. */
        SINGLE,
        /** The top block is an encrypted manifest listing the chunks of the part's ciphertext. */
        MANIFEST
    }

    private final Id handle;
    private final byte[] key;
    private final long size;
    private final Layout layout;
    private final boolean padded;
    /**
     * The encoding, made once: a folder holds one reference per message, and its snapshot or cached view encodes each
     * again (and a decode re-encodes it to check it is canonical), a Jackson generator each time. Immutable fields,
     * so a race only computes the same bytes twice.
     */
    private volatile byte[] encoded;

    public PartReference(Id handle, byte[] key, long size, Layout layout, boolean padded) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.key = Objects.requireNonNull(key, "key").clone();
        this.layout = Objects.requireNonNull(layout, "layout");
        this.size = size;
        this.padded = padded;
        String problem = problem(this.key.length, size, layout, padded);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static String problem(int keyLength, long size, Layout layout, boolean padded) {
        if (keyLength != SegmentedAead.KEY_BYTES) {
            return "a key has " + SegmentedAead.KEY_BYTES + " bytes, not " + keyLength;
        }
        if (size < 0 || size > MAX_SIZE) {
            return "size " + size + " outside 0.." + MAX_SIZE;
        }
        if (padded && layout != Layout.SINGLE) {
            return "a padded part is always SINGLE";
        }
        if (padded && size >= MAX_PADDED_SIZE) {
            return "a padded part is smaller than " + MAX_PADDED_SIZE + " bytes, not " + size;
        }
        if (layout == Layout.MANIFEST && size == 0) {
            return "an empty part has no manifest";
        }
        return null;
    }

    public Id handle() {
        return handle;
    }

    /** A copy of the key. */
    public byte[] key() {
        return key.clone();
    }

    public long size() {
        return size;
    }

    public Layout layout() {
        return layout;
    }

    public boolean padded() {
        return padded;
    }

    /** Bytes of the part's ciphertext (what its chunks, or its single block, hold in all), when not padded. */
    long ciphertextSize() {
        return SegmentedAead.ciphertextLength(size);
    }

    public byte[] encode() {
        byte[] bytes = encoded;
        if (bytes == null) {
            bytes = CborRecordWriter.versioned(VERSION, 5, MAX_ENCODED_BYTES).number(layout.ordinal()).bool(padded)
                .bytes(handle.toBytes()).bytes(key).number(size).end().toBytes();
            encoded = bytes;
        }
        return bytes.clone();
    }

    /**
     * The reference encoded as {@code bytes}; anything but a canonical encoding is a
     * {@link MalformedPartReferenceException}.
     */
    public static PartReference decode(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedPartReferenceException("null");
        }
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new MalformedPartReferenceException(bytes.length + " bytes, at most " + MAX_ENCODED_BYTES);
        }
        return CborRecordReader.decodeCanonical(bytes, "part reference", FAILURES, PartReference::read,
            PartReference::encode);
    }

    private static PartReference read(CborRecordReader<MalformedPartReferenceException> in) {
        in.beginRecord(VERSION, "part reference");
        int layoutCode = in.bounded("layout", Layout.values().length - 1);
        boolean padded = in.bool("padded");
        byte[] handle = in.exactBytes("handle", Id.BYTES);
        byte[] key = in.exactBytes("key", SegmentedAead.KEY_BYTES);
        long size = in.number();
        in.endArray();
        Layout layout = Layout.values()[layoutCode];
        String problem = problem(key.length, size, layout, padded);
        if (problem != null) {
            throw in.malformed(problem);
        }
        return new PartReference(Id.of(handle), key, size, layout, padded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartReference other && handle.equals(other.handle) && MessageDigest.isEqual(key, other.key)
            && size == other.size && layout == other.layout && padded == other.padded;
    }

    @Override
    public int hashCode() {
        return Objects.hash(handle, Arrays.hashCode(key), size, layout, padded);
    }

    @Override
    public String toString() {
        return "PartReference[" + handle.toHex() + ", " + size + " bytes, " + layout + (padded ? ", padded" : "") + "]";
    }
}
