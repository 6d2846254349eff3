package org.epost.post.accounts;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;

/**
 * A single in-memory "replica" that stores whatever it is given and serves whatever a test {@link #plant}s: a
 * faulty or malicious storage layer, to show that the accounts layer does its own checks.
 */
final class MapBlockService implements BlockService {
    final Map<BlockKey, Block> blocks = new ConcurrentHashMap<>();
    int inserts;

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        inserts++;
        blocks.put(block.key(), block);
        return CompletableFuture.completedFuture(new InsertResult(InsertResult.Status.SUCCESS, "", List.of()));
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(blocks.get(key)));
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return CompletableFuture.completedFuture(blocks.containsKey(key) ? 1 : 0);
    }

    /** Serves {@code block} under {@code key}, whatever it is. */
    void plant(BlockKey key, Block block) {
        blocks.put(key, block);
    }
}
