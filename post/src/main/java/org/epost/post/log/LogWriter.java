package org.epost.post.log;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.blocks.BlockService;
import org.epost.post.crypto.Hashes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one log, on the owner's peer (it holds the owner's Ed25519 and X25519 key pairs).
 *
 * <p><b>Durability.</b> {@link #append} returns once every block of the append (the cluster blocks, any snapshot
 * blocks) and then the new head have been stored on k replicas; until then nothing is acknowledged. Records that do
 * not fill a cluster are made durable by storing the partial cluster: the head points at it, and the next append
 * stores a new version of that cluster (same first record, same predecessor) with the new records added, so the
 * chain only ever holds full clusters plus at most the newest partial one. Chosen over a local fsynced write-ahead
 * log because the DHT log is the durable truth (DESIGN.md section 5): an acknowledged record survives the loss of the
 * owner's disk and is visible to every peer holding the owner's key, and the local state stays a pure cache. The
 * price is two inserts per append (cluster + head) and rewriting up to M records; callers batch with
 * {@link #append(List)} (one cluster rewrite and one head for the whole batch: group commit). Superseded partial
 * clusters are referenced by nothing and expire with their lease.
 *
 * <p><b>One writer.</b> The head carries the writer's random id, an epoch and a lease expiry. Opening a writer
 * refuses a log whose head is held by another writer's live lease ({@link LogWriterConflictException}); after the
 * lease (plus the tolerated clock skew) it takes over with the next epoch, or at once with {@link #takeOver}. A writer
 * that finds a head it did not write (its head insert is refused as stale or conflicting, or, once its own lease has
 * lapsed, the head it reads back is not its own) stops for good with a {@link LogWriterConflictException}.
 *
 * <p>Not thread-safe across instances by design; methods of one instance are synchronized. Blocking: it waits for the
 * {@link BlockService}'s futures, so it must not run on the overlay's own thread.
 */
public final class LogWriter<S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockService blocks;
    private final LogOpener opener;
    private final LogConfig config;
    private final KeyPair signing;
    private final String label;
    private final LogReducer<S> reducer;
    private final Id handle;
    private final LogCipher cipher;
    private final byte[] sealedLogKey;
    private final byte[] writerId = new byte[LogHead.WRITER_ID_BYTES];
    private final long epoch;

    private LogHead head;
    private S state;
    private long count;
    private byte[] digest;
    private Id snapshot;
    private long snapshotCount;
    /** The cluster being filled: its predecessor, first record, records, and the block holding exactly them. */
    private Id predecessor;
    private long openFirst;
    private final List<LogRecord> open = new ArrayList<>();
    private int openBytes;
    private Id openStored;
    private String stopped;
    private long blocksStored;

    private LogWriter(BlockService blocks, LogViewStore views, LogConfig config, KeyPair signing, KeyPair encryption,
                      String label, LogReducer<S> reducer, boolean force) throws LogException {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.opener = new LogOpener(blocks, views);
        this.config = Objects.requireNonNull(config, "config");
        this.signing = signing;
        this.label = label;
        this.reducer = reducer;
        this.handle = LogOpener.headHandle(signing.getPublic(), label);
        RANDOM.nextBytes(writerId);

        LogView<S> view = opener.open(signing.getPublic(), label, encryption, reducer);
        LogHead previous = view.head();
        long now = config.now();
        if (previous != null && !force && previous.writerLeaseExpiry() + config.clockSkewMillis() > now) {
            String message = "log '" + label + "' is held by writer " + previous.writerHex() + " (epoch "
                + previous.writerEpoch() + ") whose lease runs until " + previous.writerLeaseExpiry() + " (now " + now
                + "); a second writer is refused";
            LOG.warn(message);
            throw new LogWriterConflictException(message);
        }
        if (previous == null) {
            byte[] logKey = LogCipher.newLogKey();
            this.cipher = new LogCipher(logKey, handle);
            this.sealedLogKey = LogCipher.sealLogKey(encryption.getPublic(), logKey, label);
            this.epoch = 1;
        } else {
            this.cipher = LogOpener.cipher(previous, handle, label, encryption);
            this.sealedLogKey = previous.sealedLogKey();
            this.epoch = previous.writerEpoch() + 1;
            if (force && previous.writerLeaseExpiry() + config.clockSkewMillis() > now) {
                LOG.warn("Taking log '{}' over from writer {} (epoch {}) before its lease ends", label,
                    previous.writerHex(), previous.writerEpoch());
            }
        }
        this.state = view.state();
        this.count = view.recordCount();
        this.digest = view.digest;
        this.snapshot = previous == null ? null : previous.snapshot();
        this.snapshotCount = previous == null ? 0 : previous.snapshotRecordCount();
        this.openFirst = count;
        if (previous != null && previous.newestCluster() != null) {
            Cluster newest = view.newestCluster != null ? view.newestCluster
                : opener.fetchCluster(handle, label, cipher, previous.newestCluster());
            int bytes = newest.records().stream().mapToInt(r -> 6 + r.body().length).sum();
            if (newest.records().size() < config.recordsPerCluster() && fits(bytes)) {
                predecessor = newest.predecessor();
                openFirst = newest.firstSeq();
                open.addAll(newest.records());
                openBytes = bytes;
                openStored = previous.newestCluster();
            } else {
                predecessor = previous.newestCluster();
            }
        }
        this.head = previous;
        storeHead(previous == null ? 0 : previous.version() + 1, now);
        LOG.info("Writer {} (epoch {}) opened log '{}' at {} records, head v{}", hex(writerId), epoch, label, count,
            head.version());
    }

    /** Opens the writer of {@code label}; refused while another writer's lease on it is live. */
    public static <S> LogWriter<S> open(BlockService blocks, LogViewStore views, LogConfig config, KeyPair signing,
                                        KeyPair encryption, String label, LogReducer<S> reducer) throws LogException {
        return new LogWriter<>(blocks, views, config, signing, encryption, label, reducer, false);
    }

    /**
     * Opens the writer of {@code label} even while another writer's lease is live (the owner moved to another peer
     * and the old one is known dead); that writer stops at its next append.
     */
    public static <S> LogWriter<S> takeOver(BlockService blocks, LogViewStore views, LogConfig config, KeyPair signing,
                                            KeyPair encryption, String label, LogReducer<S> reducer) throws LogException {
        return new LogWriter<>(blocks, views, config, signing, encryption, label, reducer, true);
    }

    /** Appends one record; durable on return. Answers its sequence number. */
    public long append(int type, byte[] body) throws LogException {
        return append(List.of(new LogEntry(type, body)));
    }

    /**
     * Appends {@code entries} as one group commit; all are durable on return (or none acknowledged, on an exception).
     * Answers the sequence number of the first.
     */
    public synchronized long append(List<LogEntry> entries) throws LogException {
        long started = System.nanoTime();
        boolean appended = false;
        try {
            long first = appendTimed(entries);
            appended = true;
            return first;
        } finally {
            if (!entries.isEmpty()) {
                config.metrics().time("epost.log.append", System.nanoTime() - started);
                config.metrics().count(appended ? "epost.log.append.records" : "epost.log.append.failed",
                    appended ? entries.size() : 1);
            }
        }
    }

    private long appendTimed(List<LogEntry> entries) throws LogException {
        checkUsable();
        for (LogEntry entry : entries) {
            if (!fits(entry.encodedLength())) {
                throw new IllegalArgumentException("a record of " + entry.body().length + " bytes does not fit in a "
                    + config.maxBlockBytes() + "-byte block; store large data in content blocks and reference it");
            }
        }
        long first = count;
        if (entries.isEmpty()) {
            return first;
        }
        long now = config.now();
        if (now >= head.writerLeaseExpiry()) {
            checkStillHolder();
        }
        List<Pending> pending = new ArrayList<>();
        LogReducer.Parts snapshotState = null;
        byte[] snapshotDigest = null;
        try {
            for (LogEntry entry : entries) {
                if (open.size() >= config.recordsPerCluster() || !fits(openBytes + entry.encodedLength())) {
                    Id full = openStored != null ? openStored : storeCluster(pending, now);
                    predecessor = full;
                    open.clear();
                    openBytes = 0;
                    openFirst = count;
                    openStored = null;
                }
                LogRecord record = new LogRecord(count, entry.type(), entry.body());
                open.add(record);
                openBytes += entry.encodedLength();
                openStored = null;
                state = reducer.reduce(state, record);
                digest = LogDigest.next(digest, record);
                count++;
                if (count % config.snapshotInterval() == 0) {
                    snapshotState = reducer.encodeParts(state); // for the cached view, read in parts
                    snapshotDigest = digest;
                    snapshot = storeSnapshot(pending, reducer.encode(state), now);
                    snapshotCount = count;
                }
            }
            openStored = storeCluster(pending, now);
            for (Pending insert : pending) {
                InsertResult result = await(insert.future);
                if (!result.isSuccess()) {
                    throw new LogWriteException(insert.what + " of log '" + label + "' not stored: " + result.status()
                        + " " + result.detail());
                }
            }
        } catch (LogWriteException e) {
            stop("an append failed: " + e.getMessage());
            throw e;
        }
        storeHead(head.version() + 1, now);
        if (snapshotState != null) {
            opener.saveCache(handle, cipher, head.version(), snapshotCount, snapshotDigest, snapshotState);
        }
        return first;
    }

    /** Releases the lease (a head with lease 0, so another writer may start at once) and caches the view. */
    @Override
    public synchronized void close() throws LogException {
        if (stopped != null) {
            return;
        }
        storeHead(head.version() + 1, config.now(), 0);
        opener.saveCache(handle, cipher, head.version(), count, digest, reducer.encodeParts(state));
        stopped = "closed";
    }

    public synchronized S state() {
        return state;
    }

    public synchronized long recordCount() {
        return count;
    }

    public synchronized LogHead head() {
        return head;
    }

    public long epoch() {
        return epoch;
    }

    /** Blocks this writer has stored (heads, clusters, snapshot blocks). */
    public synchronized long blocksStored() {
        return blocksStored;
    }

    public Id headHandle() {
        return handle;
    }

    // ---------------------------------------------------------------- internals

    private boolean fits(long recordBytes) {
        return LogCipher.sealedLength(Cluster.FIXED_BYTES + recordBytes) <= config.maxBlockBytes();
    }

    private Id storeCluster(List<Pending> pending, long now) {
        Cluster cluster = new Cluster(openFirst, epoch, predecessor, open);
        return store(pending, cipher.seal(LogCipher.BlockType.CLUSTER, cluster.encode()),
            "cluster [" + openFirst + ", " + cluster.endSeq() + ")", now);
    }

    private Id storeSnapshot(List<Pending> pending, byte[] stateBytes, long now) {
        byte[] hash = Hashes.sha256(stateBytes);
        SnapshotRoot root;
        if (LogCipher.sealedLength(SnapshotRoot.FIXED_BYTES + stateBytes.length) <= config.maxBlockBytes()) {
            root = new SnapshotRoot(count, digest, stateBytes.length, hash, stateBytes, List.of());
        } else {
            int chunkBytes = config.maxBlockBytes() - 1024;
            List<Id> chunks = new ArrayList<>();
            for (int offset = 0; offset < stateBytes.length; offset += chunkBytes) {
                byte[] piece = Arrays.copyOfRange(stateBytes, offset, Math.min(stateBytes.length, offset + chunkBytes));
                chunks.add(store(pending, cipher.seal(LogCipher.BlockType.SNAPSHOT_CHUNK, piece),
                    "snapshot chunk", now));
            }
            root = new SnapshotRoot(count, digest, stateBytes.length, hash, null, chunks);
        }
        return store(pending, cipher.seal(LogCipher.BlockType.SNAPSHOT, root.encode()), "snapshot at " + count, now);
    }

    private Id store(List<Pending> pending, byte[] content, String what, long now) {
        ContentHashBlock block = ContentHashBlock.of(content);
        pending.add(new Pending(what, blocks.insert(block, now + config.blockLeaseMillis())));
        blocksStored++;
        return block.handle();
    }

    private void storeHead(long version, long now) throws LogException {
        storeHead(version, now, now + config.writerLeaseMillis());
    }

    private void storeHead(long version, long now, long leaseExpiry) throws LogException {
        LogHead next = new LogHead(version, count, count == 0 ? null : (openStored != null ? openStored : predecessor), snapshot, snapshotCount, digest,
            writerId, epoch, leaseExpiry, sealedLogKey);
        PublicKeyBlock block = next.sign(signing, label);
        InsertResult result = await(blocks.insert(block, now + config.blockLeaseMillis()));
        blocksStored++;
        switch (result.status()) {
            case SUCCESS -> head = next;
            case STALE, REJECTED -> {
                String other = describeCurrentHead();
                String message = "log '" + label + "': head v" + version + " of writer " + hex(writerId) + " (epoch "
                    + epoch + ") refused (" + result.status() + " " + result.detail() + "); the log is now held by "
                    + other + "; this writer stops";
                stop(message);
                throw new LogWriterConflictException(message);
            }
            default -> {
                String message = "head v" + version + " of log '" + label + "' not stored: " + result.status() + " "
                    + result.detail();
                stop(message);
                throw new LogWriteException(message);
            }
        }
    }

    /** Our lease lapsed: another writer may have taken over. Read the head back; stop if it is not ours. */
    private void checkStillHolder() throws LogException {
        LogHead current = readCurrentHead();
        if (current == null || current.version() != head.version() || !Arrays.equals(current.writerId(), writerId)) {
            String message = "log '" + label + "': writer " + hex(writerId) + " (epoch " + epoch + ") finds head "
                + (current == null ? "missing" : current) + " which it did not write; this writer stops";
            stop(message);
            throw new LogWriterConflictException(message);
        }
    }

    private LogHead readCurrentHead() throws LogException {
        Optional<Block> found;
        try {
            found = blocks.lookup(new BlockKey(handle, BlockKind.PUBLIC_KEY)).get();
        } catch (ExecutionException | CompletionException e) {
            throw new LogException("head lookup of log '" + label + "' failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted", e);
        }
        if (found.isEmpty() || !(found.get() instanceof PublicKeyBlock block)) {
            return null;
        }
        return LogHead.fromBlock(block, signing.getPublic(), label);
    }

    private String describeCurrentHead() {
        try {
            LogHead current = readCurrentHead();
            return current == null ? "no readable head" : "writer " + current.writerHex() + " (epoch "
                + current.writerEpoch() + ", head v" + current.version() + ")";
        } catch (LogException e) {
            return "an unreadable head (" + e.getMessage() + ")";
        }
    }

    private void checkUsable() throws LogException {
        if (stopped != null) {
            throw new LogWriterConflictException("writer of log '" + label + "' is stopped: " + stopped);
        }
    }

    private void stop(String reason) {
        if (stopped == null) {
            stopped = reason;
            LOG.warn("Writer {} of log '{}' stops: {}", hex(writerId), label, reason);
        }
    }

    private static InsertResult await(CompletableFuture<InsertResult> future) throws LogWriteException {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            throw new LogWriteException("insert failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogWriteException("interrupted", e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private record Pending(String what, CompletableFuture<InsertResult> future) {
    }
}
