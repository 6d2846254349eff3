package org.epost.post.log;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.testing.PastRing;
import org.epost.post.blocks.BlockService;
import org.epost.post.blocks.PastBlockService;

/**
 * One node's {@link PastBlockService} on the simulated ring, driving the virtual clock until each operation has its
 * answer (the simulation runs on the test's thread, so the log classes' blocking waits would otherwise never end).
 */
final class SimBlockService implements BlockService {
    private final PastRing ring;
    private final PastBlockService past;
    final AtomicLong lookups = new AtomicLong();

    SimBlockService(PastRing ring, Past node) {
        this.ring = ring;
        this.past = new PastBlockService(node);
    }

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        return driven(past.insert(block, leaseExpiryMillis));
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        lookups.incrementAndGet();
        return driven(past.lookup(key));
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return driven(past.extendLease(key, newExpiryMillis));
    }

    private <T> CompletableFuture<T> driven(CompletableFuture<T> future) {
        try {
            ring.await(future);
        } catch (RuntimeException e) {
            // completed exceptionally: the caller sees it through the future
        }
        return future;
    }
}
