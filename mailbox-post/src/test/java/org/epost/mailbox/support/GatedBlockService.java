package org.epost.mailbox.support;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;
import org.epost.post.testing.InMemoryBlockService;

/**
 * The DHT for tests of appends in flight: inserts wait while {@link #gate} is closed (a slow network; lookups never
 * wait), and inserts of public-key blocks (log heads) can be made to fail as if too few holders answered.
 */
public final class GatedBlockService implements BlockService {
    private final InMemoryBlockService dht = new InMemoryBlockService();
    /** Inserts that met a closed gate. */
    public final AtomicInteger held = new AtomicInteger();
    /** Closed (count 1) to hold inserts; opened by counting it down. */
    public volatile CountDownLatch gate = new CountDownLatch(0);
    /** Every head insert fails while set. */
    public volatile boolean failHeads;
    /** The next head insert fails (and this is cleared). */
    public final AtomicBoolean failNextHead = new AtomicBoolean();

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        if (block instanceof PublicKeyBlock && (failHeads || failNextHead.getAndSet(false))) {
            return held(() -> CompletableFuture.completedFuture(
                new InsertResult(InsertResult.Status.TIMEOUT, "not enough holders (test)", List.of())));
        }
        return held(() -> dht.insert(block, leaseExpiryMillis));
    }

    private CompletableFuture<InsertResult> held(Supplier<CompletableFuture<InsertResult>> then) {
        CountDownLatch current = gate;
        if (current.getCount() == 0) {
            return then.get();
        }
        held.incrementAndGet();
        return CompletableFuture.runAsync(() -> {
            try {
                current.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).thenCompose(any -> then.get());
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        return dht.lookup(key);
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return dht.extendLease(key, newExpiryMillis);
    }
}
