package org.epost.post.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SegmentedAead;

/**
 * The list of chunks of a large part's ciphertext. Stored as a content-hash block whose content is this encoding
 * encrypted (deterministically, so identical parts give identical manifests) under the manifest key
 * {@code HMAC-SHA-256(partKey, "epost/part/manifest-key/v1")}: a key derived from, never equal to, the part key, so
 * the part and its manifest are never encrypted under the same key and nonce.
 *
 * <p>Plaintext encoding, integers big-endian:
 * <pre>
 *   offset  size  field
 *   0       1     version, 0x01
 *   1       8     plaintext size of the part
 *   9       4     n, the number of chunks, at least 2
 *   13      24*n  per chunk, in order: 20-byte handle, 4-byte ciphertext length (1 .. 1 MiB)
 * </pre>
 * The chunk lengths add up to the part's ciphertext length. {@link #decode} accepts exactly this and nothing else.
 */
record Manifest(long plaintextSize, List<Chunk> chunks) {
    static final int VERSION = 1;
    static final int HEADER_BYTES = 1 + 8 + 4;
    static final int ENTRY_BYTES = Id.BYTES + 4;
    private static final byte[] KEY_LABEL = "epost/part/manifest-key/v1".getBytes(StandardCharsets.US_ASCII);

    record Chunk(Id handle, int length) {
        Chunk {
            Objects.requireNonNull(handle, "handle");
        }
    }

    Manifest {
        chunks = List.copyOf(chunks);
    }

    static byte[] keyFor(byte[] partKey) {
        return Hashes.hmacSha256(partKey, KEY_LABEL);
    }

    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + ENTRY_BYTES * chunks.size())
            .put((byte) VERSION).putLong(plaintextSize).putInt(chunks.size());
        for (Chunk chunk : chunks) {
            out.put(chunk.handle().toBytes()).putInt(chunk.length());
        }
        return out.array();
    }

    /**
     * Decodes and checks a manifest against the size its reference promises.
     *
     * @throws IllegalArgumentException saying what is wrong, for anything but a canonical manifest that is consistent
     *                                  with {@code expectedSize}
     */
    static Manifest decode(byte[] bytes, long expectedSize) {
        if (bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException("manifest of " + bytes.length + " bytes is truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown manifest version " + version);
        }
        long size = in.getLong();
        if (size != expectedSize) {
            throw new IllegalArgumentException("manifest describes a part of " + size + " bytes, the reference "
                + expectedSize);
        }
        long count = in.getInt() & 0xffffffffL;
        if (count < 2) {
            throw new IllegalArgumentException("a manifest lists at least 2 chunks, not " + count);
        }
        if (bytes.length != HEADER_BYTES + ENTRY_BYTES * count) {
            throw new IllegalArgumentException("manifest of " + bytes.length + " bytes cannot list " + count + " chunks");
        }
        List<Chunk> chunks = new ArrayList<>((int) count);
        long total = 0;
        byte[] handle = new byte[Id.BYTES];
        for (int i = 0; i < count; i++) {
            in.get(handle);
            int length = in.getInt();
            if (length < 1 || length > BlockLimits.DEFAULT_MAX_CONTENT_BYTES) {
                throw new IllegalArgumentException("chunk " + i + " has impossible length " + length);
            }
            total += length;
            chunks.add(new Chunk(Id.of(handle), length));
        }
        long expectedCiphertext = SegmentedAead.ciphertextLength(size);
        if (total != expectedCiphertext) {
            throw new IllegalArgumentException("chunk lengths add up to " + total + " bytes, the ciphertext of "
                + size + " bytes has " + expectedCiphertext);
        }
        return new Manifest(size, chunks);
    }
}
