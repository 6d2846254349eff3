package org.epost.durability.glacier.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.epost.overlay.past.store.GroupCommitter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The fragment store of a real node: one RocksDB database in a directory of its own, laid out like PAST's block
 * store. Column families: {@code fragments} (key -> fragment encoding; values of 4 KiB and more in blob files, so
 * compaction does not rewrite them) and {@code records} (key -> {@link FragmentMeta}, a few bytes: lease extensions
 * and the index rebuilt at start touch only these).
 *
 * <p>Durability as in PAST's store: each change is one atomic write batch into the write-ahead log without waiting
 * for the disk (it then survives the process being killed); a committer thread ({@link GroupCommitter}) fsyncs the
 * log for every write pending at once, and {@link #whenDurable()} completes only after the sync covering every
 * earlier write returned. RocksDB checksums its blocks, so on-disk corruption is detected when read; Glacier also
 * verifies every fragment it reads against its manifest.
 *
 * <p>Memory is bounded: one small LRU cache charged with the memtables; the index scan does not fill the cache.
 * A lifecycle lock keeps {@link #close()} from freeing native handles under a running call.
 */
public final class RocksDbFragmentStore implements FragmentStore {
    static final long CACHE_BYTES = 16L << 20;
    static final long MEMTABLES_BYTES = 8L << 20;
    static final long WRITE_BUFFER_BYTES = 4L << 20;
    static final long MIN_BLOB_BYTES = 4096;
    static final int MAX_OPEN_FILES = 128;
    static final long MAX_WAL_BYTES = 64L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Path directory;
    private final RocksDB db;
    private final ColumnFamilyHandle fragments;
    private final ColumnFamilyHandle records;
    private final ColumnFamilyHandle defaults;
    private final WriteOptions logWrite;
    private final GroupCommitter committer;
    private boolean closed;

    private RocksDbFragmentStore(Path directory) throws RocksDBException {
        this.directory = directory;
        LRUCache cache = track(new LRUCache(CACHE_BYTES));
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
            .setCacheIndexAndFilterBlocks(true);
        ColumnFamilyOptions small = track(new ColumnFamilyOptions()
            .setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2).setTableFormatConfig(table));
        ColumnFamilyOptions large = track(new ColumnFamilyOptions()
            .setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2).setTableFormatConfig(table)
            .setEnableBlobFiles(true).setMinBlobSize(MIN_BLOB_BYTES).setEnableBlobGarbageCollection(true));
        DBOptions options = track(new DBOptions()
            .setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
            .setMaxOpenFiles(MAX_OPEN_FILES).setMaxTotalWalSize(MAX_WAL_BYTES).setKeepLogFileNum(5)
            .setWriteBufferManager(track(new WriteBufferManager(MEMTABLES_BYTES, cache))));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        db = RocksDB.open(options, directory.toString(), List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, small),
            new ColumnFamilyDescriptor(bytes("fragments"), large),
            new ColumnFamilyDescriptor(bytes("records"), small)), handles);
        defaults = handles.get(0);
        fragments = handles.get(1);
        records = handles.get(2);
        logWrite = new WriteOptions().setSync(false);
        committer = new GroupCommitter("glacier-" + directory.getFileName(), () -> whileOpen(() -> rocks(() -> {
            db.syncWal();
            return null;
        })));
    }

    /** Opens (or creates) the store in {@code directory}. */
    public static RocksDbFragmentStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            return new RocksDbFragmentStore(directory);
        } catch (RocksDBException | IOException e) {
            throw new FragmentStoreException("Cannot open the fragment store in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(FragmentKey key, FragmentMeta meta, byte[] encodedOrNull) {
        whileOpen(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                byte[] raw = key.toBytes();
                batch.put(records, raw, meta.encode());
                if (encodedOrNull != null) {
                    batch.put(fragments, raw, encodedOrNull);
                }
                rocks(() -> {
                    db.write(logWrite, batch);
                    return null;
                });
            } catch (RocksDBException e) {
                throw new FragmentStoreException("Cannot write fragment " + key, e);
            }
            committer.recordWrite();
            return null;
        });
    }

    @Override
    public Optional<byte[]> read(FragmentKey key) {
        return whileOpen(() -> Optional.ofNullable(rocks(() -> db.get(fragments, key.toBytes()))));
    }

    @Override
    public void remove(FragmentKey key) {
        whileOpen(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                byte[] raw = key.toBytes();
                batch.delete(records, raw);
                batch.delete(fragments, raw);
                rocks(() -> {
                    db.write(logWrite, batch);
                    return null;
                });
            } catch (RocksDBException e) {
                throw new FragmentStoreException("Cannot delete fragment " + key, e);
            }
            committer.recordWrite();
            return null;
        });
    }

    @Override
    public void forEachRecord(BiConsumer<FragmentKey, FragmentMeta> action) {
        whileOpen(() -> {
            try (ReadOptions scan = new ReadOptions().setFillCache(false);
                 RocksIterator it = db.newIterator(records, scan)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    action.accept(FragmentKey.fromBytes(it.key()), FragmentMeta.decode(it.value()));
                }
                try {
                    it.status();
                } catch (RocksDBException e) {
                    throw new FragmentStoreException("Scan of " + directory + " failed: " + e.getMessage(), e);
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> whenDurable() {
        return committer.whenDurable(committer.lastWrite());
    }

    @Override
    public void close() {
        // First, outside the lifecycle lock its syncs take: what was written is synced and its waiters answered.
        committer.close();
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            logWrite.close();
            for (ColumnFamilyHandle handle : List.of(defaults, fragments, records)) {
                handle.close();
            }
            try {
                db.syncWal();
                db.closeE();
            } catch (RocksDBException e) {
                throw new FragmentStoreException("Cannot close the fragment store cleanly", e);
            } finally {
                for (int i = resources.size() - 1; i >= 0; i--) {
                    try {
                        resources.get(i).close();
                    } catch (Exception e) {
                        // Freeing native option objects cannot fail in a way we could act on.
                    }
                }
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "RocksDbFragmentStore(" + directory + ")";
    }

    private <T> T whileOpen(Supplier<T> operation) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The fragment store is closed");
            }
            return operation.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    private static <T> T rocks(RocksCall<T> call) {
        try {
            return call.call();
        } catch (RocksDBException e) {
            throw new FragmentStoreException("RocksDB failed: " + e.getMessage(), e);
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
