package org.epost.overlay.past.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.Verification;

/**
 * One node's persistent store of PAST replicas: verified block bytes by {@link BlockKey}, each under a lease.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>Every block is verified against its handle before it is stored; a holder never stores garbage.</li>
 *   <li>A STORED answer means durable: it survives a crash right after the answer. So does a granted lease.
 *       Deletes and expiry collection only free space: they become durable with the next sync (a delete lost to a
 *       power cut brings back a block that is collected or handed off again).</li>
 *   <li>Usage is {@link #accountedBytes} summed over the entries, never above the quota; exact across overwrite,
 *       delete, expiry and restart.</li>
 *   <li>Public-key blocks never roll back: a lower version is STALE; the same version with other bytes is
 *       rejected as equivocation.</li>
 *   <li>Leases only grow, and never beyond now + the maximum lease (nor past a certificate's expiry).</li>
 *   <li>Safe to call from several threads.</li>
 * </ul>
 */
public interface BlockStore extends AutoCloseable {
    /** Bytes a block of this length counts against the quota: the block plus a fixed cost for keys and metadata. */
    static long accountedBytes(int blockBytes) {
        return blockBytes + ENTRY_OVERHEAD_BYTES;
    }

    /** Rough per-entry cost of keys, metadata and the expiry index, charged so tiny blocks cannot fill a disk free. */
    int ENTRY_OVERHEAD_BYTES = 128;

    /**
     * Verifies {@code encodedBlock} as the block named {@code handle} and stores it (at the key of its kind) with a
     * lease until {@code leaseExpiry} (capped). Storing a block already held is idempotent and only extends its lease.
     */
    StoreResult put(Id handle, byte[] encodedBlock, long leaseExpiry);

    /**
     * As {@link #put}, without waiting for the disk on the caller's thread: the store decides now (verification,
     * quota, versions, leases) and the future completes once that outcome is durable, so a STORED answer arrives only
     * after the sync that covers the write. Concurrent puts may share one sync (group commit). The future may complete
     * on another thread, and fails with {@link BlockStoreException} if the disk cannot be synced. A store whose
     * {@link #put} is durable on return needs nothing more than this default.
     */
    default CompletableFuture<StoreResult> putAsync(Id handle, byte[] encodedBlock, long leaseExpiry) {
        return CompletableFuture.completedFuture(put(handle, encodedBlock, leaseExpiry));
    }

    /**
     * As {@link #putAsync}, for a block verified already ({@link BlockVerifier}, off the node thread): the store takes
     * the verified block's encoding without checking it again. A rejected verification is answered REJECTED with its
     * reason, as {@link #putAsync} would. Only a {@link BlockVerifier} makes a {@link Verification}, so nothing
     * unverified can come in this way.
     */
    default CompletableFuture<StoreResult> putVerifiedAsync(Verification verification, long leaseExpiry) {
        if (!verification.isValid()) {
            return CompletableFuture.completedFuture(StoreResult.rejected(verification));
        }
        Block block = verification.block();
        return putAsync(block.handle(), block.encoded(), leaseExpiry);
    }

    Optional<StoredBlock> get(BlockKey key);

    boolean contains(BlockKey key);

    /** Deletes the entry; whether there was one. */
    boolean delete(BlockKey key);

    /**
     * Extends the lease to {@code newExpiry}, capped at now + the maximum lease; never shortens it.
     *
     * @return the lease the entry now has, or empty if there is no such entry
     */
    OptionalLong extendLease(BlockKey key, long newExpiry);

    /** As {@link #extendLease}, completing once the granted lease is durable (see {@link #putAsync}). */
    default CompletableFuture<OptionalLong> extendLeaseAsync(BlockKey key, long newExpiry) {
        return CompletableFuture.completedFuture(extendLease(key, newExpiry));
    }

    /**
     * Completes once every change made so far is durable: before claiming to hold a block that may have been written
     * just now, a holder waits for this. Completes at once when nothing is pending.
     */
    default CompletableFuture<Void> synced() {
        return CompletableFuture.completedFuture(null);
    }

    /** Deletes every entry whose lease ended more than the tolerated clock skew ago; returns their keys. */
    List<BlockKey> collectExpired();

    /**
     * Calls {@code action} with the key of every block whose handle lies on the ring arc going clockwise from
     * {@code from} to {@code to}, both inclusive, in that order: when {@code from > to} the arc wraps past the
     * largest id to zero. Reads a consistent view; the action may call back into the store.
     */
    void forEachInRange(Id from, Id to, Consumer<BlockKey> action);

    long usedBytes();

    long quotaBytes();

    @Override
    void close();
}
