package org.epost.post.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.post.blocks.BlockService;
import org.epost.post.blocks.PastBlockService;

/**
 * One node's real {@link PastBlockService} on a simulated ring, driving the ring's virtual clock until each operation
 * has its answer: the simulation runs on the test's thread, so the blocking waits of the log classes would otherwise
 * never end.
 *
 * <p>Not an {@link InMemoryBlockService} with a hook: every operation runs the PAST protocol across the ring's nodes
 * (routing, k replicas, read repair, leases that expire on the holders as virtual time passes), which is what the
 * tests using this one are about. It only adds the driving, and records the inserted keys.
 */
public final class RingBlockService implements BlockService {
    private final PastBlockService past;
    private final Consumer<CompletableFuture<?>> driver;
    private final List<BlockKey> insertedKeys = new ArrayList<>();

    /**
     * @param node   the node whose PAST application answers
     * @param driver runs the simulation until the future is done (e.g. {@code ring::settle}); it may throw when the
     *               future completed exceptionally, which the caller then sees through the future
     */
    public RingBlockService(Past node, Consumer<CompletableFuture<?>> driver) {
        this.past = new PastBlockService(node);
        this.driver = driver;
    }

    @Override
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiryMillis) {
        synchronized (insertedKeys) {
            insertedKeys.add(block.key());
        }
        return driven(past.insert(block, leaseExpiryMillis));
    }

    @Override
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        return driven(past.lookup(key));
    }

    @Override
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiryMillis) {
        return driven(past.extendLease(key, newExpiryMillis));
    }

    /** The key of every insert, in call order. */
    public List<BlockKey> insertedKeys() {
        synchronized (insertedKeys) {
            return List.copyOf(insertedKeys);
        }
    }

    private <T> CompletableFuture<T> driven(CompletableFuture<T> future) {
        try {
            driver.accept(future);
        } catch (RuntimeException e) {
            // completed exceptionally: the caller sees it through the future
        }
        return future;
    }
}
