package org.epost.overlay.past.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;

/**
 * A store whose bytes a test can corrupt behind the policy's back, as a failing disk or a malicious holder would:
 * {@link #tamper} makes {@link #get} return the entry with one bit flipped until the entry is deleted or rewritten.
 * It can also play a slow disk: while {@link #holdSyncs} is in force, changes are made at once but the asynchronous
 * answers ({@link #putAsync}, {@link #extendLeaseAsync}, {@link #synced}) wait for {@link #releaseSyncs}.
 */
public final class TamperingBlockStore implements BlockStore {
    private final BlockStore delegate;
    private final Set<BlockKey> tampered = new HashSet<>();
    private final List<Runnable> heldAnswers = new ArrayList<>();
    private boolean holdingSyncs;

    public TamperingBlockStore(BlockStore delegate) {
        this.delegate = delegate;
    }

    /** Flips a bit in the middle of the stored bytes of {@code key}; false if there is no such entry. */
    public synchronized boolean tamper(BlockKey key) {
        if (!delegate.contains(key)) {
            return false;
        }
        tampered.add(key);
        return true;
    }

    public synchronized boolean isTampered(BlockKey key) {
        return tampered.contains(key);
    }

    /** From now on, asynchronous answers wait as if the disk's sync had not returned yet. */
    public synchronized void holdSyncs() {
        holdingSyncs = true;
    }

    /** Lets every held answer through (on the calling thread) and stops holding. */
    public void releaseSyncs() {
        List<Runnable> answers;
        synchronized (this) {
            holdingSyncs = false;
            answers = List.copyOf(heldAnswers);
            heldAnswers.clear();
        }
        answers.forEach(Runnable::run);
    }

    /** Answers waiting for {@link #releaseSyncs}. */
    public synchronized int heldAnswers() {
        return heldAnswers.size();
    }

    private synchronized <T> CompletableFuture<T> answer(T value) {
        if (!holdingSyncs) {
            return CompletableFuture.completedFuture(value);
        }
        CompletableFuture<T> held = new CompletableFuture<>();
        heldAnswers.add(() -> held.complete(value));
        return held;
    }

    @Override
    public CompletableFuture<StoreResult> putAsync(Id handle, byte[] encodedBlock, long leaseExpiry) {
        return answer(put(handle, encodedBlock, leaseExpiry));
    }

    @Override
    public CompletableFuture<OptionalLong> extendLeaseAsync(BlockKey key, long newExpiry) {
        return answer(extendLease(key, newExpiry));
    }

    @Override
    public CompletableFuture<Void> synced() {
        return answer(null);
    }

    /**
     * Like a real corrupted disk, the damage survives a put of the same block (the store then only extends the
     * lease); it goes with a delete, or a put that rewrites the bytes (a newer public-key version).
     */
    @Override
    public synchronized StoreResult put(Id handle, byte[] encodedBlock, long leaseExpiry) {
        java.util.Map<BlockKey, Long> versionsBefore = new java.util.HashMap<>();
        for (BlockKey key : tampered) {
            if (key.handle().equals(handle)) {
                versionsBefore.put(key, delegate.get(key).map(StoredBlock::version).orElse(-1L));
            }
        }
        StoreResult result = delegate.put(handle, encodedBlock, leaseExpiry);
        versionsBefore.forEach((key, version) -> {
            if (delegate.get(key).map(StoredBlock::version).orElse(-1L) != version.longValue()) {
                tampered.remove(key);
            }
        });
        return result;
    }

    @Override
    public synchronized Optional<StoredBlock> get(BlockKey key) {
        Optional<StoredBlock> held = delegate.get(key);
        if (held.isEmpty() || !tampered.contains(key)) {
            return held;
        }
        byte[] bytes = held.get().encoded();
        bytes[bytes.length / 2] ^= 0x01;
        return Optional.of(new StoredBlock(key, bytes, held.get().version(), held.get().leaseExpiry()));
    }

    @Override
    public boolean contains(BlockKey key) {
        return delegate.contains(key);
    }

    @Override
    public synchronized boolean delete(BlockKey key) {
        tampered.remove(key);
        return delegate.delete(key);
    }

    @Override
    public OptionalLong extendLease(BlockKey key, long newExpiry) {
        return delegate.extendLease(key, newExpiry);
    }

    @Override
    public synchronized List<BlockKey> collectExpired() {
        List<BlockKey> removed = delegate.collectExpired();
        removed.forEach(tampered::remove);
        return removed;
    }

    @Override
    public void forEachInRange(Id from, Id to, Consumer<BlockKey> action) {
        delegate.forEachInRange(from, to, action);
    }

    @Override
    public long usedBytes() {
        return delegate.usedBytes();
    }

    @Override
    public long quotaBytes() {
        return delegate.quotaBytes();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
