package org.epost.post.log;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;

/**
 * A fast single-node {@link BlockService} with PAST's rules for public-key blocks (a lower version is STALE, other
 * bytes at the held version are REJECTED as equivocation), and hooks to misbehave: serve another block for a key
 * ({@link #substitute}) or lose one ({@link #remove}).
 */
public final class InMemoryBlockService implements BlockService {
    final Map<BlockKey, Block> blocks = new ConcurrentHashMap<>();
    final Map<BlockKey, Block> substitutes = new ConcurrentHashMap<>();
    final AtomicLong lookups = new AtomicLong();
    final AtomicLong inserts = new AtomicLong();

    @Override
    public synchronized CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        inserts.incrementAndGet();
        Block held = blocks.get(block.key());
        if (held instanceof PublicKeyBlock heldHead && block instanceof PublicKeyBlock offered) {
            if (offered.version() < heldHead.version()) {
                return done(InsertResult.Status.STALE, "v" + heldHead.version() + " held");
            }
            if (offered.equivocatesWith(heldHead)) {
                return done(InsertResult.Status.REJECTED, "EQUIVOCATION at v" + heldHead.version());
            }
        }
        blocks.put(block.key(), block);
        return done(InsertResult.Status.SUCCESS, "");
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        lookups.incrementAndGet();
        Block substitute = substitutes.get(key);
        return CompletableFuture.completedFuture(Optional.ofNullable(substitute != null ? substitute : blocks.get(key)));
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return CompletableFuture.completedFuture(blocks.containsKey(key) ? 1 : 0);
    }

    public void substitute(BlockKey key, Block block) {
        substitutes.put(key, block);
    }

    public void remove(BlockKey key) {
        blocks.remove(key);
    }

    private static CompletableFuture<InsertResult> done(InsertResult.Status status, String detail) {
        return CompletableFuture.completedFuture(new InsertResult(status, detail, List.of()));
    }
}
