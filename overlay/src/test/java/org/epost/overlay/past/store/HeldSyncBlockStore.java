package org.epost.overlay.past.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.time.Clock;

/**
 * The shared policy on a backend that needs syncs, like RocksDB's, but whose syncs a test can hold: entries live in an
 * {@link InMemoryBlockStore}'s primitives, and {@link #syncWrites} blocks while {@link #hold} is in force. Shows
 * exactly when {@link AbstractBlockStore} answers relative to the sync, which a real disk cannot.
 */
final class HeldSyncBlockStore extends AbstractBlockStore {
    private final InMemoryBlockStore memory;
    private final Object monitor = new Object();
    private boolean holding;
    private int syncsStarted;

    HeldSyncBlockStore(BlockVerifier verifier, Clock clock, StoreConfig config) {
        super(verifier, clock, config);
        memory = new InMemoryBlockStore(verifier, clock, config);
        initializeUsage(0);
        enableGroupCommit("held");
    }

    /** From now on, syncs wait for {@link #release}. */
    void hold() {
        synchronized (monitor) {
            holding = true;
        }
    }

    void release() {
        synchronized (monitor) {
            holding = false;
            monitor.notifyAll();
        }
    }

    /** Waits until at least {@code count} syncs have started; false if that took longer than the deadline. */
    boolean awaitSyncsStarted(int count, long deadlineMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + deadlineMillis;
        synchronized (monitor) {
            while (syncsStarted < count) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    @Override
    void syncWrites() {
        synchronized (monitor) {
            syncsStarted++;
            monitor.notifyAll();
            while (holding) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BlockStoreException("interrupted while syncing");
                }
            }
        }
    }

    @Override
    Optional<EntryMeta> readMeta(BlockKey key) {
        return memory.readMeta(key);
    }

    @Override
    Optional<StoredBlock> readEntry(BlockKey key) {
        return memory.readEntry(key);
    }

    @Override
    void write(BlockKey key, EntryMeta meta, byte[] encodedOrNull, Optional<EntryMeta> previous, long usedBytesAfter) {
        memory.write(key, meta, encodedOrNull, previous, usedBytesAfter);
    }

    @Override
    void remove(List<BlockKey> keys, List<EntryMeta> metas, long usedBytesAfter) {
        memory.remove(keys, metas, usedBytesAfter);
    }

    @Override
    List<BlockKey> leasesEndingBefore(long cutoff, int max) {
        return memory.leasesEndingBefore(cutoff, max);
    }

    @Override
    void forEachBetween(Id fromInclusive, Id toInclusive, Consumer<BlockKey> action) {
        memory.forEachBetween(fromInclusive, toInclusive, action);
    }

    @Override
    public void close() {
        release();
        stopGroupCommit();
        memory.close();
    }
}
