package org.epost.post.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.post.crypto.SegmentedAead;

/**
 * What a reader needs to fetch and decrypt one stored MIME part: the handle of its top block, the key, the plaintext
 * size, the layout and whether the part was padded. It travels inside signed, encrypted notifications, so it has one
 * compact canonical encoding ({@link #encode()}, {@value #ENCODED_BYTES} bytes) and {@link #decode} accepts nothing
 * else.
 *
 * <p>Encoding, all integers big-endian:
 * <pre>
 *   offset  size  field
 *   0       1     version, 0x01
 *   1       1     flags: bit 0 = MANIFEST layout (else SINGLE), bit 1 = PADDED; other bits must be 0
 *   2       20    handle of the top block (content-hash block: the part's ciphertext, or its manifest)
 *   22      32    key (convergent H(part), or random for a padded part)
 *   54      8     plaintext size in bytes, 0 .. {@link #MAX_SIZE}
 * </pre>
 * A padded part is always SINGLE and smaller than {@link #MAX_PADDED_SIZE}; a MANIFEST part is never empty.
 *
 * <p>The key is secret: {@link #toString()} does not show it.
 */
public final class PartReference {
    public static final int VERSION = 1;
    public static final int ENCODED_BYTES = 1 + 1 + Id.BYTES + SegmentedAead.KEY_BYTES + 8;
    /** Largest part a reference can name: parts are handled in memory (a byte[] of ciphertext must fit). */
    public static final long MAX_SIZE = 1L << 30;
    /** Padding is for small parts only: the padding threshold is at most this. */
    public static final int MAX_PADDED_SIZE = 64 * 1024;

    private static final int FLAG_MANIFEST = 1;
    private static final int FLAG_PADDED = 2;

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
        return ByteBuffer.allocate(ENCODED_BYTES)
            .put((byte) VERSION)
            .put((byte) ((layout == Layout.MANIFEST ? FLAG_MANIFEST : 0) | (padded ? FLAG_PADDED : 0)))
            .put(handle.toBytes())
            .put(key)
            .putLong(size)
            .array();
    }

    /** The reference encoded as {@code bytes}; anything but a canonical encoding is a {@link MalformedPartReferenceException}. */
    public static PartReference decode(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedPartReferenceException("null");
        }
        if (bytes.length != ENCODED_BYTES) {
            throw new MalformedPartReferenceException(bytes.length + " bytes, expected " + ENCODED_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new MalformedPartReferenceException("unknown version " + version);
        }
        int flags = in.get() & 0xff;
        if ((flags & ~(FLAG_MANIFEST | FLAG_PADDED)) != 0) {
            throw new MalformedPartReferenceException("unknown flags 0x" + Integer.toHexString(flags));
        }
        byte[] handle = new byte[Id.BYTES];
        in.get(handle);
        byte[] key = new byte[SegmentedAead.KEY_BYTES];
        in.get(key);
        long size = in.getLong();
        Layout layout = (flags & FLAG_MANIFEST) != 0 ? Layout.MANIFEST : Layout.SINGLE;
        boolean padded = (flags & FLAG_PADDED) != 0;
        String problem = problem(key.length, size, layout, padded);
        if (problem != null) {
            throw new MalformedPartReferenceException(problem);
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
