package org.epost.post.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;

/** A block service in a map, recording every insert (test double of PAST for one class at a time). */
final class MemoryBlocks implements BlockService {
    final Map<BlockKey, Block> blocks = new ConcurrentHashMap<>();
    final List<BlockKey> inserted = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        inserted.add(block.key());
        blocks.put(block.key(), block);
        return CompletableFuture.completedFuture(new InsertResult(InsertResult.Status.SUCCESS, "", List.of()));
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(blocks.get(key)));
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return CompletableFuture.completedFuture(blocks.containsKey(key) ? 3 : 0);
    }

    synchronized int insertCount() {
        return inserted.size();
    }

    long storedBytes() {
        return blocks.values().stream().mapToLong(Block::encodedLength).sum();
    }
}
