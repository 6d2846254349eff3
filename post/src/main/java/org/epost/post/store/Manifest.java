package org.epost.post.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SegmentedAead;

/**
 * The list of chunks of a large part's ciphertext. Stored as a content-hash block whose content is this encoding
 * encrypted (deterministically, so identical parts give identical manifests) under the manifest key
 * {@code HMAC-SHA-256(partKey, "epost/part/manifest-key/v1")}: a key derived from, never equal to, the part key, so
 * the part and its manifest are never encrypted under the same key and nonce.
 *
 * <p>Plaintext encoding, canonical CBOR (the project's record convention, {@link CborRecordWriter}):
 * <pre>
 *   [version 1, plaintext size of the part: uint,
 *    chunks, at least 2, in order: [[handle: bstr(20), ciphertext length: uint (1 .. 1 MiB)], ...]]
 * </pre>
 * The chunk lengths add up to the part's ciphertext length. {@link #decode} accepts exactly this and nothing else.
 */
record Manifest(long plaintextSize, List<Chunk> chunks) {
    static final int VERSION = 1;
    /** Longest encoding of the fixed fields: array and version (2), the size (9), the chunk list's header (5). */
    static final int HEADER_BYTES = 2 + 9 + 5;
    /** Longest encoding of one chunk: its array (1), the handle (2 + 20), the length (5). */
    static final int ENTRY_BYTES = 1 + 2 + Id.BYTES + 5;
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
        (oversized, message, cause) -> new IllegalArgumentException("malformed manifest: " + message, cause);
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
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 2, HEADER_BYTES + ENTRY_BYTES * chunks.size())
            .number(plaintextSize);
        return out.list(chunks, chunk -> out.array(2).bytes(chunk.handle().toBytes()).number(chunk.length()).end())
            .end().toBytes();
    }

    /**
     * Decodes and checks a manifest against the size its reference promises.
     *
     * @throws IllegalArgumentException saying what is wrong, for anything but a canonical manifest that is consistent
     *                                  with {@code expectedSize}
     */
    static Manifest decode(byte[] bytes, long expectedSize) {
        return CborRecordReader.decodeCanonical(bytes, "manifest", FAILURES, in -> read(in, expectedSize),
            Manifest::encode);
    }

    private static Manifest read(CborRecordReader<IllegalArgumentException> in, long expectedSize) {
        in.beginRecord(VERSION, "manifest");
        long size = in.nonNegative("plaintext size");
        if (size != expectedSize) {
            throw in.malformed("manifest describes a part of " + size + " bytes, the reference " + expectedSize);
        }
        int[] index = {0};
        List<Chunk> chunks = in.list(chunk -> {
            int i = index[0]++;
            chunk.beginArray();
            Id handle = Id.of(chunk.exactBytes("chunk handle", Id.BYTES));
            long length = chunk.number();
            chunk.endArray();
            if (length < 1 || length > BlockLimits.DEFAULT_MAX_CONTENT_BYTES) {
                throw chunk.malformed("chunk " + i + " has impossible length " + length);
            }
            return new Chunk(handle, (int) length);
        });
        in.endArray();
        if (chunks.size() < 2) {
            throw in.malformed("a manifest lists at least 2 chunks, not " + chunks.size());
        }
        long total = chunks.stream().mapToLong(Chunk::length).sum();
        long expectedCiphertext = SegmentedAead.ciphertextLength(size);
        if (total != expectedCiphertext) {
            throw in.malformed("chunk lengths add up to " + total + " bytes, the ciphertext of " + size + " bytes has "
                + expectedCiphertext);
        }
        return new Manifest(size, chunks);
    }
}
