package org.epost.overlay.past.store;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a block store decides, written once so every backend behaves the same: verification, lease caps,
 * replacement rules per kind, quota. Backends only supply atomic storage primitives.
 *
 * <p>Thread-safety: verification (hashing, signature checks) runs on the caller's thread without any lock. Every
 * mutation (put, delete, lease extension, expiry collection) is a read-modify-write of an entry and of the usage
 * counter, so mutations are serialized by one lock, and each is written by the backend as one atomic batch. Reads
 * take no lock: they see the state before or after a mutation, never a mix, because backends read an entry's bytes
 * and metadata from one consistent view. The lock covers the write into the backend, not its fsync, which keeps the
 * usage counter exact without making writers queue behind each other's disk syncs.
 *
 * <p>Durability: a backend whose writes are durable once written (memory) answers at once. A backend whose writes
 * reach the operating system at once but need a sync to survive a power cut (RocksDB's write-ahead log) enables group
 * commit ({@link #enableGroupCommit}): every answer then waits for the sync covering the writes it depends on, made
 * by one committer thread for all writes pending at once ({@link GroupCommitter}). Answers are decided in write
 * order under the lock, exactly as with a sync per write; only the wait for the disk is shared.
 */
public abstract class AbstractBlockStore implements BlockStore {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractBlockStore.class);
    /** Expired entries deleted per locked batch, so a large collection does not stall puts. */
    private static final int EXPIRY_BATCH = 512;
    private static final Id MIN_ID = Id.of(new byte[Id.BYTES]);
    private static final Id MAX_ID = Id.fromBigInteger(BigInteger.ONE.negate());

    private final BlockVerifier verifier;
    private final Clock clock;
    private final StoreConfig config;
    private final ReentrantLock mutationLock = new ReentrantLock();
    /** Guarded by {@link #mutationLock} for writes; volatile for lock-free {@link #usedBytes()}. */
    private volatile long usedBytes;
    /** Null while writes are durable once written; set once by a backend that needs syncs. */
    private volatile GroupCommitter committer;

    protected AbstractBlockStore(BlockVerifier verifier, Clock clock, StoreConfig config) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Backends call this once their storage is open. */
    protected final void initializeUsage(long persistedUsedBytes) {
        usedBytes = persistedUsedBytes;
    }

    /** Backends whose writes need a sync to be durable call this once open: {@link #syncWrites} then runs in groups. */
    protected final void enableGroupCommit(String name) {
        if (committer != null) {
            throw new IllegalStateException("group commit already enabled");
        }
        committer = new GroupCommitter(name, this::syncWrites);
    }

    /** Backends call this first when closing: pending writes are synced and their answers given. */
    protected final void stopGroupCommit() {
        GroupCommitter current = committer;
        if (current != null) {
            current.close();
        }
    }

    // ---- primitives supplied by a backend ----

    /** Makes every write accepted so far durable; called only by the group committer. */
    void syncWrites() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " writes durably: nothing to sync");
    }

    abstract Optional<EntryMeta> readMeta(BlockKey key);

    /** The entry's bytes and metadata from one consistent view. */
    abstract Optional<StoredBlock> readEntry(BlockKey key);

    /**
     * Atomically writes (durably, or to be synced by {@link #syncWrites}) the entry's metadata, its bytes unless
     * {@code encodedOrNull} is null (lease-only change), drops {@code previous}'s expiry index entry if any, and
     * records {@code usedBytesAfter}.
     */
    abstract void write(BlockKey key, EntryMeta meta, byte[] encodedOrNull, Optional<EntryMeta> previous,
                        long usedBytesAfter);

    /** Atomically removes these entries and records {@code usedBytesAfter} (durably, or to be synced). */
    abstract void remove(List<BlockKey> keys, List<EntryMeta> metas, long usedBytesAfter);

    /** Up to {@code max} keys whose lease ends strictly before {@code cutoff}, earliest first. */
    abstract List<BlockKey> leasesEndingBefore(long cutoff, int max);

    /** Keys with handles in [from, to] (plain order, no wrap-around), ascending. */
    abstract void forEachBetween(Id fromInclusive, Id toInclusive, Consumer<BlockKey> action);

    // ---- the contract ----

    @Override
    public final StoreResult put(Id handle, byte[] encodedBlock, long leaseExpiry) {
        return await(putAsync(handle, encodedBlock, leaseExpiry));
    }

    @Override
    public final CompletableFuture<StoreResult> putAsync(Id handle, byte[] encodedBlock, long leaseExpiry) {
        return putVerifiedAsync(verifier.verify(encodedBlock, handle), leaseExpiry);
    }

    @Override
    public final CompletableFuture<StoreResult> putVerifiedAsync(Verification verification, long leaseExpiry) {
        if (!verification.isValid()) {
            return CompletableFuture.completedFuture(StoreResult.rejected(verification));
        }
        Block block = verification.block();
        byte[] encodedBlock = block.encoded();
        long now = clock.now();
        if (leaseExpiry <= now) {
            return CompletableFuture.completedFuture(
                    reject(block.key(), RejectionReason.LEASE_EXPIRED, "lease ended at " + leaseExpiry));
        }
        EntryMeta offered = new EntryMeta(versionOf(block), cappedLease(leaseExpiry, now, notAfterOf(block)),
                notAfterOf(block), encodedBlock.length);
        StoreResult result;
        long dependsOn;
        mutationLock.lock();
        try {
            result = putLocked(block, encodedBlock, offered, now);
            // Also when nothing was written: the answer may rest on an earlier write of this block not synced yet.
            dependsOn = lastWrite();
        } finally {
            mutationLock.unlock();
        }
        return whenDurable(dependsOn).thenApply(synced -> result);
    }

    private StoreResult putLocked(Block block, byte[] encoded, EntryMeta offered, long now) {
        BlockKey key = block.key();
        Optional<EntryMeta> existing = readMeta(key);
        if (existing.isEmpty()) {
            return storeBytes(key, offered, encoded, existing);
        }
        EntryMeta held = existing.get();
        long lease = Math.max(held.leaseExpiry(), offered.leaseExpiry());
        switch (block.kind()) {
            case CONTENT_HASH:
                // Same handle, same content: only the lease can change.
                return extendHeld(key, held, lease);
            case PUBLIC_KEY:
                if (offered.version() < held.version()) {
                    LOG.warn("Refused block {}: {} (v{} offered, v{} held)", key, RejectionReason.STALE_VERSION,
                            offered.version(), held.version());
                    return StoreResult.STALE;
                }
                if (offered.version() > held.version()) {
                    return storeBytes(key, offered.withLease(lease), encoded, existing);
                }
                // Same version. Ed25519 signing is deterministic (RFC 8032), so the honest owner re-signing the same
                // fields yields the same bytes; other bytes at the same version are equivocation.
                return sameBytesAsHeld(key, encoded) ? extendHeld(key, held, lease)
                        : reject(key, RejectionReason.EQUIVOCATION, "other bytes for held version " + held.version());
            case CERTIFICATE:
                if (sameBytesAsHeld(key, encoded)) {
                    return extendHeld(key, held, lease);
                }
                if (now <= saturatedAdd(held.notAfter(), config.clockSkewMillis())) {
                    return reject(key, RejectionReason.CERTIFICATE_CONFLICT,
                            "held certificate is valid until " + held.notAfter());
                }
                return storeBytes(key, offered, encoded, existing);
            default:
                throw new IllegalStateException("Unknown kind " + block.kind());
        }
    }

    private StoreResult storeBytes(BlockKey key, EntryMeta meta, byte[] encoded, Optional<EntryMeta> previous) {
        long after = usedBytes + meta.accountedBytes() - previous.map(EntryMeta::accountedBytes).orElse(0L);
        if (after > config.quotaBytes()) {
            LOG.warn("Refused block {}: store full ({} of {} bytes used, {} more needed)", key, usedBytes,
                    config.quotaBytes(), after - usedBytes);
            return StoreResult.FULL;
        }
        write(key, meta, encoded.clone(), previous, after);
        recordWrite();
        usedBytes = after;
        return StoreResult.stored(meta.leaseExpiry());
    }

    private StoreResult extendHeld(BlockKey key, EntryMeta held, long lease) {
        if (lease > held.leaseExpiry()) {
            write(key, held.withLease(lease), null, Optional.of(held), usedBytes);
            recordWrite();
        }
        return StoreResult.stored(lease);
    }

    private boolean sameBytesAsHeld(BlockKey key, byte[] encoded) {
        return readEntry(key).map(stored -> Arrays.equals(stored.encoded(), encoded)).orElse(false);
    }

    private StoreResult reject(BlockKey key, RejectionReason reason, String detail) {
        LOG.warn("Refused block {}: {} ({})", key, reason, detail);
        return StoreResult.rejected(reason, detail);
    }

    @Override
    public final Optional<StoredBlock> get(BlockKey key) {
        return readEntry(key);
    }

    @Override
    public final boolean contains(BlockKey key) {
        return readMeta(key).isPresent();
    }

    @Override
    public final boolean delete(BlockKey key) {
        mutationLock.lock();
        try {
            Optional<EntryMeta> existing = readMeta(key);
            if (existing.isEmpty()) {
                return false;
            }
            long after = usedBytes - existing.get().accountedBytes();
            remove(List.of(key), List.of(existing.get()), after);
            recordWrite();
            usedBytes = after;
            return true;
        } finally {
            mutationLock.unlock();
        }
    }

    @Override
    public final OptionalLong extendLease(BlockKey key, long newExpiry) {
        return await(extendLeaseAsync(key, newExpiry));
    }

    @Override
    public final CompletableFuture<OptionalLong> extendLeaseAsync(BlockKey key, long newExpiry) {
        long now = clock.now();
        OptionalLong granted;
        long dependsOn;
        mutationLock.lock();
        try {
            Optional<EntryMeta> existing = readMeta(key);
            if (existing.isEmpty()) {
                granted = OptionalLong.empty();
            } else {
                EntryMeta held = existing.get();
                long lease = Math.max(held.leaseExpiry(), cappedLease(newExpiry, now, held.notAfter()));
                extendHeld(key, held, lease);
                granted = OptionalLong.of(lease);
            }
            dependsOn = lastWrite();
        } finally {
            mutationLock.unlock();
        }
        return whenDurable(dependsOn).thenApply(synced -> granted);
    }

    @Override
    public final CompletableFuture<Void> synced() {
        return whenDurable(lastWrite());
    }

    @Override
    public final List<BlockKey> collectExpired() {
        // An entry goes only once its lease ended more than the tolerated skew ago on our clock, so a peer whose
        // clock runs behind ours by up to the skew never sees its still-valid lease dropped.
        long cutoff = clock.now() - config.clockSkewMillis();
        List<BlockKey> removed = new ArrayList<>();
        while (true) {
            int batchSize;
            mutationLock.lock();
            try {
                List<BlockKey> batch = leasesEndingBefore(cutoff, EXPIRY_BATCH);
                batchSize = batch.size();
                List<EntryMeta> metas = new ArrayList<>(batch.size());
                long after = usedBytes;
                for (BlockKey key : batch) {
                    EntryMeta meta = readMeta(key).orElseThrow(
                            () -> new BlockStoreException("Expiry index names a missing entry " + key));
                    metas.add(meta);
                    after -= meta.accountedBytes();
                }
                if (!batch.isEmpty()) {
                    remove(batch, metas, after);
                    recordWrite();
                    usedBytes = after;
                    removed.addAll(batch);
                }
            } finally {
                mutationLock.unlock();
            }
            if (batchSize < EXPIRY_BATCH) {
                return removed;
            }
        }
    }

    @Override
    public final void forEachInRange(Id from, Id to, Consumer<BlockKey> action) {
        if (from.compareTo(to) <= 0) {
            forEachBetween(from, to, action);
        } else {
            forEachBetween(from, MAX_ID, action);
            forEachBetween(MIN_ID, to, action);
        }
    }

    @Override
    public final long usedBytes() {
        return usedBytes;
    }

    @Override
    public final long quotaBytes() {
        return config.quotaBytes();
    }

    private void recordWrite() {
        GroupCommitter current = committer;
        if (current != null) {
            current.recordWrite();
        }
    }

    private long lastWrite() {
        GroupCommitter current = committer;
        return current == null ? 0 : current.lastWrite();
    }

    private CompletableFuture<Void> whenDurable(long write) {
        GroupCommitter current = committer;
        return current == null ? CompletableFuture.completedFuture(null) : current.whenDurable(write);
    }

    /** The synchronous API: waits for the durable answer; a failed sync surfaces as the BlockStoreException it is. */
    private static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private long cappedLease(long requested, long now, long notAfter) {
        long cap = Math.min(saturatedAdd(now, config.maxLeaseMillis()),
                saturatedAdd(notAfter, config.clockSkewMillis()));
        return Math.min(requested, cap);
    }

    private static long versionOf(Block block) {
        return block instanceof PublicKeyBlock ? ((PublicKeyBlock) block).version() : 0;
    }

    private static long notAfterOf(Block block) {
        return block instanceof CertificateBlock ? ((CertificateBlock) block).notAfter() : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
