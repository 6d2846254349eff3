package org.epost.post.blocks;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;

/** {@link BlockService} over a node's PAST application. */
public final class PastBlockService implements BlockService {
    private final Past past;

    public PastBlockService(Past past) {
        this.past = past;
    }

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        return past.insert(block, leaseExpiryMillis);
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        return past.lookup(key);
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return past.extendLease(key, newExpiryMillis);
    }
}
