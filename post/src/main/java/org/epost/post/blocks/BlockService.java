package org.epost.post.blocks;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;

/**
 * The block storage POST's services are written against: PAST on a real or simulated overlay
 * ({@link PastBlockService}). Every block returned has been verified by the overlay.
 */
public interface BlockService {

    /** Stores {@code block} on k replicas, held until {@code leaseExpiryMillis} unless extended. */
    CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis);

    /** The verified block, or empty when no replica holds it. */
    CompletableFuture<Optional<Block>> lookup(BlockKey key);

    /** Extends the lease of {@code key} on its holders; answers how many holders extended it. */
    CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis);
}
