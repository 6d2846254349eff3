package org.epost.mailbox.support;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;

/** A {@link BlockService} that counts the inserts and lookups passed to the one it wraps. */
public final class CountingBlockService implements BlockService {
    private final BlockService delegate;
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();

    public CountingBlockService(BlockService delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        inserts.incrementAndGet();
        return delegate.insert(block, leaseExpiryMillis);
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        lookups.incrementAndGet();
        return delegate.lookup(key);
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return delegate.extendLease(key, newExpiryMillis);
    }

    public long inserts() {
        return inserts.get();
    }

    public long lookups() {
        return lookups.get();
    }
}
