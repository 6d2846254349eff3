package org.epost.post.store;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.post.crypto.SegmentedAead;

/**
 * Tunables of the {@link PartStore}.
 *
 * @param smallPartThreshold parts smaller than this are padded to it with random bytes and encrypted under a random
 *                           key (no dedup, so no confirmation-of-file attack on small parts); 0 disables padding; at
 *                           most {@link PartReference#MAX_PADDED_SIZE}. Default 4 KiB (DESIGN.md section 5).
 * @param maxChunksInFlight  chunk inserts or fetches of one part running at once: bounds the memory and the load one
 *                           part puts on the ring
 * @param maxBlockBytes      largest content-hash block content; a part whose ciphertext is larger is chunked.
 *                           Default and maximum: the overlay's 1 MiB block limit
 * @param maxPartBytes       largest part this store encrypts or fetches (parts are held in memory); at most
 *                           {@link PartReference#MAX_SIZE}
 */
public record PartStoreConfig(int smallPartThreshold, int maxChunksInFlight, int maxBlockBytes, long maxPartBytes) {
    /** A 64 KiB AEAD segment with its tag: chunks are whole numbers of segments. */
    static final int SEGMENT_WITH_TAG = (int) SegmentedAead.ciphertextLength(64 * 1024);

    public PartStoreConfig {
        if (smallPartThreshold < 0 || smallPartThreshold > PartReference.MAX_PADDED_SIZE) {
            throw new IllegalArgumentException("small-part threshold must be in 0.." + PartReference.MAX_PADDED_SIZE);
        }
        if (maxChunksInFlight < 1) {
            throw new IllegalArgumentException("maxChunksInFlight must be positive");
        }
        if (maxBlockBytes < SEGMENT_WITH_TAG || maxBlockBytes > BlockLimits.DEFAULT_MAX_CONTENT_BYTES) {
            throw new IllegalArgumentException("maxBlockBytes must be in " + SEGMENT_WITH_TAG + ".."
                + BlockLimits.DEFAULT_MAX_CONTENT_BYTES);
        }
        if (maxPartBytes < 0 || maxPartBytes > PartReference.MAX_SIZE) {
            throw new IllegalArgumentException("maxPartBytes must be in 0.." + PartReference.MAX_SIZE);
        }
    }

    /** 4 KiB threshold, 4 chunks in flight, 1 MiB blocks, parts up to 256 MiB. */
    public static PartStoreConfig defaults() {
        return new PartStoreConfig(4096, 4, BlockLimits.DEFAULT_MAX_CONTENT_BYTES, 256L << 20);
    }

    public PartStoreConfig withSmallPartThreshold(int value) {
        return new PartStoreConfig(value, maxChunksInFlight, maxBlockBytes, maxPartBytes);
    }

    public PartStoreConfig withMaxChunksInFlight(int value) {
        return new PartStoreConfig(smallPartThreshold, value, maxBlockBytes, maxPartBytes);
    }

    public PartStoreConfig withMaxBlockBytes(int value) {
        return new PartStoreConfig(smallPartThreshold, maxChunksInFlight, value, maxPartBytes);
    }

    public PartStoreConfig withMaxPartBytes(long value) {
        return new PartStoreConfig(smallPartThreshold, maxChunksInFlight, maxBlockBytes, value);
    }

    /**
     * Ciphertext bytes per chunk: the most whole AEAD segments (64 KiB + 16-byte tag) that fit in a block, 15 of them
     * (983,280 bytes) for 1 MiB blocks. Segment-aligned, so a chunk could later be decrypted on its own.
     */
    public int chunkBytes() {
        return maxBlockBytes / SEGMENT_WITH_TAG * SEGMENT_WITH_TAG;
    }
}
