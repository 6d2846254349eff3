package org.epost.post.store;

import org.epost.post.crypto.SegmentedAead;

/**
 * A part of a {@link RandomAccessBytes} to be encrypted chunk by chunk: which plaintext each chunk of its ciphertext
 * covers. Chunks are whole numbers of AEAD segments, so chunk {@code i} is the encryption of its own plaintext
 * segments alone, the same bytes as that slice of the whole part's ciphertext.
 */
record ChunkedSource(RandomAccessBytes source, long from, long length, byte[] key, int chunkBytes) {
    ChunkedSource {
        if (chunkBytes % PartStoreConfig.SEGMENT_WITH_TAG != 0) {
            throw new IllegalArgumentException("chunks are whole segments: " + chunkBytes);
        }
    }

    int segmentsPerChunk() {
        return chunkBytes / PartStoreConfig.SEGMENT_WITH_TAG;
    }

    int totalSegments() {
        return SegmentedAead.segmentsFor(length);
    }

    int chunkCount() {
        return (totalSegments() + segmentsPerChunk() - 1) / segmentsPerChunk();
    }

    int firstSegment(int chunk) {
        return chunk * segmentsPerChunk();
    }

    /** The plaintext that chunk {@code chunk} encrypts, read from the source. */
    byte[] plaintext(int chunk) {
        long start = (long) firstSegment(chunk) * SegmentedAead.PLAINTEXT_SEGMENT_BYTES;
        long end = Math.min(length, start + (long) segmentsPerChunk() * SegmentedAead.PLAINTEXT_SEGMENT_BYTES);
        return source.read(from + start, (int) (end - start));
    }
}
