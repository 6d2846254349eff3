package org.epost.post.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.past.protocol.PastLookupException;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.blocks.BlockService;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.log.LogVerificationException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a log on a peer holding the owner's keys: reads the newest valid head (never one older than this peer
 * accepted before), then starts from the local cached view or the newest snapshot, whichever is further, fetches only
 * the clusters after that point, replays them into the reducer, and checks the result against the digest in the
 * signed head. Anything that does not verify is an exception with a {@link Reason} and a WARN log, never a view.
 *
 * <p>Blocking: it waits for the {@link BlockService}'s futures, so it must not run on the overlay's own thread.
 */
public final class LogOpener {
    private static final Logger LOG = LoggerFactory.getLogger(LogOpener.class);

    private final BlockService blocks;
    private final LogViewStore views;

    public LogOpener(BlockService blocks, LogViewStore views) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.views = Objects.requireNonNull(views, "views");
    }

    /** Opens {@code label} of {@code owner}, decrypting with the owner's X25519 key pair, and caches the view. */
    public <S> LogView<S> open(PublicKey owner, String label, KeyPair ownerEncryption, LogReducer<S> reducer)
            throws LogException {
        return open(owner, label, ownerEncryption, reducer, true, true);
    }

    /**
     * Replays the whole chain from record 0, ignoring the cache and the snapshots: an audit of the log, and the
     * reference a snapshot-based open must agree with.
     */
    public <S> LogView<S> replayAll(PublicKey owner, String label, KeyPair ownerEncryption, LogReducer<S> reducer)
            throws LogException {
        return open(owner, label, ownerEncryption, reducer, false, false);
    }

    /**
     * Every block the log {@code label} of {@code owner} still references, for the lease refresher: its head, every
     * cluster of the chain back to record 0 (what {@link #replayAll} reads), and the newest snapshot's root and chunks.
     * Superseded partial clusters and older snapshots are not listed: nothing references them, so they expire. Empty
     * when the log has no head. Walks the whole chain (one lookup per cluster), verifying as an open does; blocks the
     * calling thread, like the rest of this class.
     */
    public List<BlockKey> referencedBlocks(PublicKey owner, String label, KeyPair ownerEncryption) throws LogException {
        Id handle = headHandle(owner, label);
        Fetcher fetcher = new Fetcher(handle, label);
        LogHead head = readHead(owner, label, fetcher);
        if (head == null) {
            return List.of();
        }
        fetcher.cipher = cipher(head, handle, label, ownerEncryption);
        List<BlockKey> keys = new ArrayList<>();
        keys.add(new BlockKey(handle, BlockKind.PUBLIC_KEY));
        Id current = head.newestCluster();
        long end = head.recordCount();
        while (end > 0) {
            if (current == null) {
                throw fetcher.reject(Reason.BROKEN_CHAIN, "chain ends at record " + end + " before reaching 0");
            }
            Cluster cluster = fetcher.cluster(current);
            if (cluster.endSeq() != end || cluster.firstSeq() >= end) {
                throw fetcher.reject(Reason.BROKEN_CHAIN, "cluster " + current + " holds records [" + cluster.firstSeq()
                    + ", " + cluster.endSeq() + ") but its successor expects it to end at " + end);
            }
            keys.add(new BlockKey(current, BlockKind.CONTENT_HASH));
            end = cluster.firstSeq();
            current = cluster.predecessor();
        }
        if (head.snapshot() != null) {
            keys.add(new BlockKey(head.snapshot(), BlockKind.CONTENT_HASH));
            SnapshotRoot root;
            try {
                root = SnapshotRoot.decode(fetcher.open(head.snapshot(), LogCipher.BlockType.SNAPSHOT, "snapshot"));
            } catch (LogFormatException e) {
                throw fetcher.reject(Reason.MALFORMED_BLOCK, "snapshot " + head.snapshot() + ": " + e.getMessage());
            }
            if (root.inlineState() == null) {
                for (Id chunk : root.chunks()) {
                    keys.add(new BlockKey(chunk, BlockKind.CONTENT_HASH));
                }
            }
        }
        return keys;
    }

    /** The handle of the head of {@code label} of {@code owner}. */
    public static Id headHandle(PublicKey owner, String label) {
        return PublicKeyBlock.handleFor(owner, label);
    }

    private <S> LogView<S> open(PublicKey owner, String label, KeyPair ownerEncryption, LogReducer<S> reducer,
                                boolean useCache, boolean useSnapshot) throws LogException {
        Id handle = headHandle(owner, label);
        Fetcher fetcher = new Fetcher(handle, label);
        LogHead head = readHead(owner, label, fetcher);
        if (head == null) {
            return new LogView<>(reducer.initial(), 0, null, LogView.Source.GENESIS, fetcher.fetched, 0, null,
                LogDigest.initial());
        }
        LogCipher cipher = cipher(head, handle, label, ownerEncryption);
        fetcher.cipher = cipher;

        Start<S> start = null;
        if (useCache) {
            start = loadCache(handle, head, cipher, reducer);
        }
        if (start != null && start.count < head.snapshotRecordCount() && useSnapshot) {
            start = null;
        }
        if (start == null && useSnapshot && head.snapshot() != null) {
            start = fetchSnapshot(head, fetcher, reducer);
        }
        if (start == null) {
            start = new Start<>(reducer.initial(), 0, LogDigest.initial(), LogView.Source.GENESIS);
        }

        List<Cluster> tail = walkBack(head, start.count, fetcher);
        S state = start.state;
        byte[] digest = start.digest;
        long replayed = 0;
        for (Cluster cluster : tail) {
            for (LogRecord record : cluster.records()) {
                if (record.seq() >= start.count) {
                    state = reducer.reduce(state, record);
                    digest = LogDigest.next(digest, record);
                    replayed++;
                }
            }
        }
        if (!Arrays.equals(digest, head.digest())) {
            if (start.source == LogView.Source.CACHE) {
                LOG.warn("Cached view of log '{}' ({} records) does not extend to the signed head {}: discarded, "
                    + "rebuilding from the DHT", label, start.count, head);
                deleteCache(handle);
                return open(owner, label, ownerEncryption, reducer, false, useSnapshot);
            }
            throw fetcher.reject(Reason.DIGEST_MISMATCH, "replaying " + start.count + "+" + replayed
                + " records does not give the digest of signed head v" + head.version());
        }
        Cluster newest = tail.isEmpty() ? null : tail.get(tail.size() - 1);
        LogView<S> view = new LogView<>(state, head.recordCount(), head, start.source, fetcher.fetched, replayed,
            newest, digest);
        if (useCache && (replayed > 0 || start.source != LogView.Source.CACHE || start.rewrite)) {
            // sealed and written by the store, in the background when it can: not on the first SELECT's thread;
            // encoded now unless the reducer never changes a state in place
            S saved = state;
            LogReducer.Parts now = reducer.keepsStates() ? null : reducer.encodeParts(state);
            long version = view.headVersion();
            long count = view.recordCount();
            byte[] savedDigest = digest;
            try {
                views.saveViewLater(handle, () -> SegmentedView.seal(cipher, version, count, savedDigest,
                    now != null ? now : reducer.encodeParts(saved)));
            } catch (java.io.UncheckedIOException e) {
                LOG.warn("Cannot cache the view of {}: {}", handle, e.getMessage());
            }
        }
        return view;
    }

    // ---------------------------------------------------------------- head

    private LogHead readHead(PublicKey owner, String label, Fetcher fetcher) throws LogException {
        long seen = highestSeen(fetcher.handle);
        Optional<Block> found;
        try {
            fetcher.fetched++;
            found = blocks.lookup(new BlockKey(fetcher.handle, BlockKind.PUBLIC_KEY)).get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PastLookupException past) {
                throw fetcher.reject(past.reason() == RejectionReason.EQUIVOCATION ? Reason.EQUIVOCATION
                    : Reason.ROLLBACK, "head lookup refused: " + past.getMessage());
            }
            throw new LogException("head lookup of log '" + label + "' failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted", e);
        }
        if (found.isEmpty()) {
            if (seen >= 0) {
                throw fetcher.reject(Reason.ROLLBACK, "no head found, but version " + seen + " was accepted before");
            }
            return null;
        }
        if (!(found.get() instanceof PublicKeyBlock block)) {
            throw fetcher.reject(Reason.FOREIGN_HEAD, "head is a " + found.get().kind() + " block");
        }
        LogHead head;
        try {
            head = LogHead.fromBlock(block, owner, label);
        } catch (LogVerificationException e) {
            LOG.warn("Rejected head of log '{}' ({}): {}", label, fetcher.handle, e.getMessage());
            throw e;
        }
        if (head.version() < seen) {
            throw fetcher.reject(Reason.ROLLBACK, "offered head v" + head.version() + " but v" + seen
                + " was accepted before");
        }
        try {
            views.recordHeadVersion(fetcher.handle, head.version());
        } catch (IOException e) {
            throw new LogException("cannot remember head version of log '" + label + "': " + e.getMessage(), e);
        }
        return head;
    }

    private long highestSeen(Id handle) throws LogException {
        try {
            return views.highestHeadVersion(handle);
        } catch (IOException e) {
            throw new LogException("cannot read the remembered head version: " + e.getMessage(), e);
        }
    }

    static LogCipher cipher(LogHead head, Id handle, String label, KeyPair ownerEncryption)
            throws LogVerificationException {
        try {
            return new LogCipher(LogCipher.openLogKey(ownerEncryption, head.sealedLogKey(), label), handle);
        } catch (CryptoException e) {
            LOG.warn("Log key of log '{}' (head v{}) does not open: {}", label, head.version(), e.getMessage());
            throw new LogVerificationException(Reason.UNDECRYPTABLE,
                "log key in head v" + head.version() + " of '" + label + "' does not open with the owner's key", e);
        }
    }

    // ---------------------------------------------------------------- clusters and snapshots

    /** Clusters holding records [from, head.recordCount), oldest first, each checked to join its successor. */
    private List<Cluster> walkBack(LogHead head, long from, Fetcher fetcher) throws LogException {
        List<Cluster> clusters = new ArrayList<>();
        Id current = head.newestCluster();
        long end = head.recordCount();
        while (end > from) {
            if (current == null) {
                throw fetcher.reject(Reason.BROKEN_CHAIN, "chain ends at record " + end + " before reaching " + from);
            }
            Cluster cluster = fetcher.cluster(current);
            if (cluster.endSeq() != end) {
                throw fetcher.reject(Reason.BROKEN_CHAIN, "cluster " + current + " holds records [" + cluster.firstSeq()
                    + ", " + cluster.endSeq() + ") but its successor expects it to end at " + end);
            }
            if (cluster.predecessor() == null && cluster.firstSeq() != 0) {
                throw fetcher.reject(Reason.BROKEN_CHAIN, "cluster " + current + " starts at record "
                    + cluster.firstSeq() + " and has no predecessor");
            }
            if (cluster.predecessor() != null && cluster.firstSeq() == 0) {
                throw fetcher.reject(Reason.BROKEN_CHAIN, "cluster " + current + " starts at record 0 and has a predecessor");
            }
            clusters.add(cluster);
            end = cluster.firstSeq();
            current = cluster.predecessor();
        }
        Collections.reverse(clusters);
        return clusters;
    }

    /** The newest cluster of {@code head}, decrypted; for a writer that continues a partial cluster. */
    Cluster fetchCluster(Id logHandle, String label, LogCipher cipher, Id id) throws LogException {
        Fetcher fetcher = new Fetcher(logHandle, label);
        fetcher.cipher = cipher;
        return fetcher.cluster(id);
    }

    private <S> Start<S> fetchSnapshot(LogHead head, Fetcher fetcher, LogReducer<S> reducer) throws LogException {
        Id id = head.snapshot();
        SnapshotRoot root;
        try {
            root = SnapshotRoot.decode(fetcher.open(id, LogCipher.BlockType.SNAPSHOT, "snapshot"));
        } catch (LogFormatException e) {
            throw fetcher.reject(Reason.MALFORMED_BLOCK, "snapshot " + id + ": " + e.getMessage());
        }
        if (root.recordCount() != head.snapshotRecordCount()) {
            throw fetcher.reject(Reason.BROKEN_CHAIN, "snapshot " + id + " covers " + root.recordCount()
                + " records, the head says " + head.snapshotRecordCount());
        }
        byte[] state;
        if (root.inlineState() != null) {
            state = root.inlineState();
        } else {
            if (root.stateLength() > Integer.MAX_VALUE - 16) {
                throw fetcher.reject(Reason.MALFORMED_BLOCK, "snapshot " + id + " of " + root.stateLength() + " bytes");
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) root.stateLength());
            for (Id chunk : root.chunks()) {
                out.writeBytes(fetcher.open(chunk, LogCipher.BlockType.SNAPSHOT_CHUNK, "snapshot chunk"));
                if (out.size() > root.stateLength()) {
                    break;
                }
            }
            state = out.toByteArray();
        }
        if (state.length != root.stateLength() || !Arrays.equals(Hashes.sha256(state), root.stateHash())) {
            throw fetcher.reject(Reason.MALFORMED_BLOCK, "snapshot " + id + ": state does not match its length/hash");
        }
        try {
            return new Start<>(reducer.decode(state), root.recordCount(), root.digest(), LogView.Source.SNAPSHOT);
        } catch (RuntimeException e) {
            throw fetcher.reject(Reason.MALFORMED_BLOCK, "snapshot " + id + " does not decode: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- local cache

    private <S> Start<S> loadCache(Id handle, LogHead head, LogCipher cipher, LogReducer<S> reducer) {
        Optional<ByteBuffer> sealed;
        try {
            sealed = views.mapView(handle);
        } catch (IOException e) {
            LOG.warn("Cannot read the cached view of {}: {}; rebuilding from the DHT", handle, e.getMessage());
            return null;
        }
        if (sealed.isEmpty()) {
            return null;
        }
        try {
            Start<S> start = openCache(handle, head, cipher, reducer, sealed.get());
            if (start == null) {
                deleteCache(handle);
            }
            return start;
        } catch (CryptoException | LogFormatException | RuntimeException e) {
            LOG.warn("Cached view of {} does not open ({}): discarded, rebuilding from the DHT", handle, e.getMessage());
            deleteCache(handle);
            return null;
        }
    }

    /**
     * The start a cached view gives, or null when it is ahead of {@code head}. A segmented view (format 2, AES-GCM,
     * or format 3, ChaCha20-Poly1305, the one written; an older one is written again) opens only its head here; its
     * body's segments open as the state reads them, and one that fails then deletes
     * the view so that the next open rebuilds the state from the DHT. A view in format 1 is opened whole.
     */
    private <S> Start<S> openCache(Id handle, LogHead head, LogCipher cipher, LogReducer<S> reducer,
                                   ByteBuffer mapped) throws CryptoException, LogFormatException {
        long version;
        long count;
        byte[] digest;
        S state;
        byte[] prefix = new byte[Math.min(mapped.capacity(), LogCipher.PREFIX_BYTES)];
        mapped.get(0, prefix);
        boolean segmented = SegmentedView.Format.of(prefix) != null;
        boolean rewrite = true;
        if (segmented) {
            SegmentedView.Opened opened = SegmentedView.open(cipher, mapped, () -> {
                LOG.warn("A segment of the cached view of {} does not open: view deleted, the next open rebuilds it "
                    + "from the DHT", handle);
                deleteCache(handle);
            });
            version = opened.version();
            count = opened.count();
            digest = opened.digest();
            state = checkedAhead(handle, head, version, count) ? null
                : reducer.decodeParts(opened.stateHead(), opened.body());
            rewrite = opened.format() != SegmentedView.CURRENT;
        } else {
            byte[] sealed = new byte[mapped.capacity()]; // format 1: opened whole
            mapped.get(0, sealed);
            CachedView cached = CachedView.decode(cipher.open(LogCipher.BlockType.CACHED_VIEW, sealed));
            version = cached.version();
            count = cached.count();
            digest = cached.digest();
            state = checkedAhead(handle, head, version, count) ? null : reducer.decode(cached.state());
        }
        return state == null ? null : new Start<>(state, count, digest, LogView.Source.CACHE, rewrite);
    }

    private static boolean checkedAhead(Id handle, LogHead head, long version, long count) {
        if (version > head.version() || count > head.recordCount()) {
            LOG.warn("Cached view of {} (v{}, {} records) is ahead of the newest head {}: discarded", handle, version,
                count, head);
            return true;
        }
        return false;
    }

    /** Caches a view, sealed in segments ({@link SegmentedView}). */
    void saveCache(Id handle, LogCipher cipher, long version, long count, byte[] digest, LogReducer.Parts state) {
        try {
            views.saveView(handle, SegmentedView.seal(cipher, version, count, digest, state));
        } catch (IOException e) {
            LOG.warn("Cannot cache the view of {}: {}", handle, e.getMessage());
        }
    }

    private void deleteCache(Id handle) {
        try {
            views.deleteView(handle);
        } catch (IOException e) {
            LOG.warn("Cannot delete the cached view of {}: {}", handle, e.getMessage());
        }
    }

    /** Where an open starts; {@code rewrite}: a cached view in an older format, to be written again as it is now. */
    private record Start<S>(S state, long count, byte[] digest, LogView.Source source, boolean rewrite) {
        Start(S state, long count, byte[] digest, LogView.Source source) {
            this(state, count, digest, source, false);
        }
    }

    /**
     * The plaintext of a cached view in format 1 (sealed whole as a CACHED_VIEW block; read, no longer written),
     * canonical CBOR: {@code [version 1, head version: uint, record count: uint, digest: bstr(32), state: bstr]}.
     */
    record CachedView(long version, long count, byte[] digest, byte[] state) {
        static final int VERSION = 1;

        byte[] encode() {
            return CborRecordWriter.versioned(VERSION, 4, 64 + state.length).number(version).number(count)
                .bytes(digest).bytes(state).end().toBytes();
        }

        static CachedView decode(byte[] plaintext) throws LogFormatException {
            return CborRecordReader.decodeCanonical(plaintext, "cached view", LogFormatException.FAILURES, in -> {
                in.beginRecord(VERSION, "cached view");
                long version = in.nonNegative("version");
                long count = in.nonNegative("count");
                byte[] digest = in.exactBytes("digest", LogDigest.BYTES);
                byte[] state = in.bytes(Integer.MAX_VALUE);
                in.endArray();
                return new CachedView(version, count, digest, state);
            }, CachedView::encode);
        }
    }

    /** Lookups of one open, counted; every failure becomes a WARN and a {@link LogVerificationException}. */
    private final class Fetcher {
        final Id handle;
        final String label;
        LogCipher cipher;
        int fetched;

        Fetcher(Id handle, String label) {
            this.handle = handle;
            this.label = label;
        }

        Cluster cluster(Id id) throws LogException {
            try {
                return Cluster.decode(open(id, LogCipher.BlockType.CLUSTER, "cluster"));
            } catch (LogFormatException | IllegalArgumentException e) {
                throw reject(Reason.MALFORMED_BLOCK, "cluster " + id + ": " + e.getMessage());
            }
        }

        byte[] open(Id id, LogCipher.BlockType type, String what) throws LogException {
            byte[] content = content(id, what);
            try {
                return cipher.open(type, content);
            } catch (CryptoException e) {
                throw reject(Reason.UNDECRYPTABLE, what + " " + id + " does not decrypt under the log key: "
                    + e.getMessage());
            }
        }

        byte[] content(Id id, String what) throws LogException {
            Optional<Block> found;
            try {
                fetched++;
                found = blocks.lookup(new BlockKey(id, BlockKind.CONTENT_HASH)).get();
            } catch (ExecutionException | CompletionException e) {
                throw new LogException("lookup of " + what + " " + id + " failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogException("interrupted", e);
            }
            if (found.isEmpty()) {
                throw reject(Reason.MISSING_BLOCK, what + " " + id + " is on no replica");
            }
            if (!(found.get() instanceof ContentHashBlock block) || !block.handle().equals(id)) {
                throw reject(Reason.MALFORMED_BLOCK, what + " " + id + " came back as " + found.get());
            }
            return block.content();
        }

        LogVerificationException reject(Reason reason, String detail) {
            LOG.warn("Log '{}' ({}) rejected: {}: {}", label, handle, reason, detail);
            return new LogVerificationException(reason, "log '" + label + "': " + detail);
        }
    }
}
