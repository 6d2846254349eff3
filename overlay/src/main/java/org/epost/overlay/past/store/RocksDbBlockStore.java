package org.epost.overlay.past.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.time.Clock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The block store of a real node: one RocksDB database in a directory of its own.
 *
 * <p>Column families:
 * <ul>
 *   <li>{@code blocks}: entry key -> the verified block encoding. Values of 4 KiB and more go to blob files, so
 *       compaction does not keep rewriting megabyte blocks.</li>
 *   <li>{@code entries}: entry key -> {@link EntryMeta} (a CBOR record of at most 34 bytes). Lease refreshes and
 *       range scans touch only this small family.</li>
 *   <li>{@code expiry}: expiry key -> nothing: an index by lease end, so expiry collection reads only what
 *       expired.</li>
 *   <li>{@code default}: the used-bytes counter ({@link UsageRecord}), updated in the same batch as every change,
 *       so the quota is exact after a restart without a scan. Its format version is the store's: a store of another
 *       layout is refused when opened.</li>
 * </ul>
 * Key layouts are in {@link StoreKeys}.
 *
 * <p>Durability: every mutation is one atomic {@link WriteBatch}, written to the write-ahead log at once (it is then
 * in the operating system's cache and survives the process being killed) without waiting for the disk; a committer
 * thread fsyncs the log ({@link RocksDB#syncWal()}, which does not block writers) for every write pending at once,
 * and no answer that depends on a write is given before that sync returned (group commit, see
 * {@link AbstractBlockStore}). Under load, one fsync covers many puts. RocksDB checksums its blocks, so on-disk
 * corruption is detected when read.
 *
 * <p>Memory is bounded whatever the store holds: one shared LRU block cache, memtables capped by a write buffer
 * manager charged to that cache, a bounded number of open files; values are read one at a time and scans stream
 * through iterators that do not fill the cache.
 *
 * <p>Thread-safety: RocksDB itself is thread-safe; the policy lock of {@link AbstractBlockStore} serializes mutations;
 * a lifecycle read-write lock keeps {@link #close()} from freeing native handles under a running operation (using a
 * closed RocksDB handle can crash the JVM).
 */
public final class RocksDbBlockStore extends AbstractBlockStore {
    /** Shared by index, filter and data blocks, and charged with the memtables. */
    static final RocksDatabase.Sizes SIZES = new RocksDatabase.Sizes(32L << 20, 16L << 20, 4L << 20, 4096, 256,
            64L << 20);

    private static final byte[] USED_BYTES_KEY = "used-bytes".getBytes(StandardCharsets.US_ASCII);

    private final RocksDatabase database;
    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle entries;
    private final ColumnFamilyHandle expiry;
    /** Not synced: the group committer syncs the log for many writes at once. */
    private final WriteOptions logWrite;

    private RocksDbBlockStore(Path directory, BlockVerifier verifier, Clock clock, StoreConfig config)
            throws RocksDBException {
        super(verifier, clock, config);
        database = RocksDatabase.open("block store", directory, SIZES, List.of(RocksDatabase.Family.large("blocks"),
                RocksDatabase.Family.small("entries"), RocksDatabase.Family.small("expiry")));
        db = database.db();
        meta = database.family(0);
        blocks = database.family(1);
        entries = database.family(2);
        expiry = database.family(3);
        logWrite = database.logWrite();
        byte[] used = db.get(meta, USED_BYTES_KEY);
        try {
            initializeUsage(used == null ? 0 : UsageRecord.decode(used));
        } catch (BlockStoreException e) {
            close();
            throw new BlockStoreException("Cannot open the block store in " + directory + ": " + e.getMessage()
                    + " (a store of another format cannot be read: recreate it)", e);
        }
        enableGroupCommit(String.valueOf(directory.getFileName()));
    }

    /** Opens (or creates) the store in {@code directory}. */
    public static RocksDbBlockStore open(Path directory, BlockVerifier verifier, Clock clock, StoreConfig config) {
        try {
            Files.createDirectories(directory);
            return new RocksDbBlockStore(directory, verifier, clock, config);
        } catch (RocksDBException | IOException e) {
            throw new BlockStoreException("Cannot open the block store in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    Optional<EntryMeta> readMeta(BlockKey key) {
        return whileOpen(() -> Optional.ofNullable(rocks(() -> db.get(entries, StoreKeys.entryKey(key))))
                .map(EntryMeta::decode));
    }

    @Override
    Optional<StoredBlock> readEntry(BlockKey key) {
        return whileOpen(() -> {
            Snapshot snapshot = db.getSnapshot();
            try (ReadOptions view = new ReadOptions().setSnapshot(snapshot)) {
                byte[] entryKey = StoreKeys.entryKey(key);
                byte[] metaBytes = rocks(() -> db.get(entries, view, entryKey));
                if (metaBytes == null) {
                    return Optional.empty();
                }
                EntryMeta entry = EntryMeta.decode(metaBytes);
                byte[] encoded = rocks(() -> db.get(blocks, view, entryKey));
                if (encoded == null || encoded.length != entry.blockBytes()) {
                    throw new BlockStoreException("Entry " + key + " has lost its block bytes");
                }
                return Optional.of(new StoredBlock(key, encoded, entry.version(), entry.leaseExpiry()));
            } finally {
                db.releaseSnapshot(snapshot);
            }
        });
    }

    @Override
    void write(BlockKey key, EntryMeta entry, byte[] encodedOrNull, Optional<EntryMeta> previous,
               long usedBytesAfter) {
        whileOpen(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                byte[] entryKey = StoreKeys.entryKey(key);
                batch.put(entries, entryKey, entry.encode());
                if (encodedOrNull != null) {
                    batch.put(blocks, entryKey, encodedOrNull);
                }
                if (previous.isPresent()) {
                    batch.delete(expiry, StoreKeys.expiryKey(previous.get().leaseExpiry(), key));
                }
                batch.put(expiry, StoreKeys.expiryKey(entry.leaseExpiry(), key), new byte[0]);
                batch.put(meta, USED_BYTES_KEY, UsageRecord.encode(usedBytesAfter));
                rocks(() -> {
                    db.write(logWrite, batch);
                    return null;
                });
            } catch (RocksDBException e) {
                throw new BlockStoreException("Cannot write " + key, e);
            }
            return null;
        });
    }

    @Override
    void remove(List<BlockKey> keys, List<EntryMeta> metas, long usedBytesAfter) {
        whileOpen(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < keys.size(); i++) {
                    byte[] entryKey = StoreKeys.entryKey(keys.get(i));
                    batch.delete(entries, entryKey);
                    batch.delete(blocks, entryKey);
                    batch.delete(expiry, StoreKeys.expiryKey(metas.get(i).leaseExpiry(), keys.get(i)));
                }
                batch.put(meta, USED_BYTES_KEY, UsageRecord.encode(usedBytesAfter));
                rocks(() -> {
                    db.write(logWrite, batch);
                    return null;
                });
            } catch (RocksDBException e) {
                throw new BlockStoreException("Cannot delete " + keys.size() + " entries", e);
            }
            return null;
        });
    }

    @Override
    void syncWrites() {
        whileOpen(() -> rocks(() -> {
            db.syncWal();
            return null;
        }));
    }

    @Override
    List<BlockKey> leasesEndingBefore(long cutoff, int max) {
        return whileOpen(() -> {
            List<BlockKey> found = new ArrayList<>();
            try (ReadOptions scan = new ReadOptions().setFillCache(false);
                 RocksIterator it = db.newIterator(expiry, scan)) {
                for (it.seekToFirst(); it.isValid() && found.size() < max; it.next()) {
                    byte[] key = it.key();
                    if (StoreKeys.leaseOf(key) >= cutoff) {
                        break;
                    }
                    found.add(StoreKeys.blockKeyOfExpiryKey(key));
                }
                checkStatus(it);
            }
            return found;
        });
    }

    @Override
    void forEachBetween(Id fromInclusive, Id toInclusive, Consumer<BlockKey> action) {
        whileOpen(() -> {
            // The iterator reads the implicit snapshot taken when it was created: a consistent view, and the action
            // may write to the store meanwhile.
            try (ReadOptions scan = new ReadOptions().setFillCache(false);
                 RocksIterator it = db.newIterator(entries, scan)) {
                for (it.seek(StoreKeys.firstEntryKeyOf(fromInclusive)); it.isValid(); it.next()) {
                    BlockKey key = StoreKeys.blockKey(it.key());
                    if (key.handle().compareTo(toInclusive) > 0) {
                        break;
                    }
                    action.accept(key);
                }
                checkStatus(it);
            }
            return null;
        });
    }

    @Override
    public void close() {
        // First, outside the lifecycle lock its syncs take: what was written is synced and its answers are given.
        stopGroupCommit();
        try {
            database.close();
        } catch (RocksDBException e) {
            throw new BlockStoreException("Cannot close the block store cleanly", e);
        }
    }

    private <T> T whileOpen(Supplier<T> operation) {
        return database.whileOpen(operation);
    }

    private static <T> T rocks(RocksDatabase.RocksCall<T> call) {
        return RocksDatabase.rocks(call, BlockStoreException::new);
    }

    private static void checkStatus(RocksIterator it) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new BlockStoreException("Scan failed: " + e.getMessage(), e);
        }
    }
}
