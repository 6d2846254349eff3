package org.epost.overlay.past.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB database in a directory of its own, as a node's stores open it (PAST's blocks, Glacier's fragments):
 * memory bounded whatever it holds (one shared LRU block cache with Bloom filters, memtables capped by a write buffer
 * manager charged to that cache, a bounded number of open files), column families for small records and for large
 * values (those go to blob files, so compaction does not keep rewriting them), and writes to the write-ahead log
 * without waiting for the disk ({@link #logWrite()}: the stores' group committers sync the log for many at once).
 *
 * <p>A lifecycle read-write lock keeps {@link #close()} from freeing native handles under a running operation, which
 * can crash the JVM: every use goes through {@link #whileOpen}.
 */
public final class RocksDatabase {
    /** The memory bounds of one database. */
    public record Sizes(long cacheBytes, long memtablesBytes, long writeBufferBytes, long minBlobBytes, int maxOpenFiles,
                        long maxWalBytes) {
    }

    /** A column family; {@code largeValues} sends values of at least {@link Sizes#minBlobBytes} to blob files. */
    public record Family(String name, boolean largeValues) {
        public static Family small(String name) {
            return new Family(name, false);
        }

        public static Family large(String name) {
            return new Family(name, true);
        }
    }

    /** Runs one RocksDB call. */
    public interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    static {
        RocksDB.loadLibrary();
    }

    private final String what;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RocksDB db;
    private final List<ColumnFamilyHandle> families = new ArrayList<>();
    private final WriteOptions logWrite;
    private boolean closed;

    private RocksDatabase(String what, Path directory, Sizes sizes, List<Family> wanted) throws RocksDBException {
        this.what = what;
        LRUCache cache = track(new LRUCache(sizes.cacheBytes()));
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setFilterPolicy(track(new BloomFilter(10)));
        ColumnFamilyOptions small = track(new ColumnFamilyOptions()
                .setWriteBufferSize(sizes.writeBufferBytes()).setMaxWriteBufferNumber(2).setTableFormatConfig(table));
        ColumnFamilyOptions large = track(new ColumnFamilyOptions()
                .setWriteBufferSize(sizes.writeBufferBytes()).setMaxWriteBufferNumber(2).setTableFormatConfig(table)
                .setEnableBlobFiles(true).setMinBlobSize(sizes.minBlobBytes()).setEnableBlobGarbageCollection(true));
        DBOptions options = track(new DBOptions()
                .setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(sizes.maxOpenFiles()).setMaxTotalWalSize(sizes.maxWalBytes()).setKeepLogFileNum(5)
                .setWriteBufferManager(track(new WriteBufferManager(sizes.memtablesBytes(), cache))));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, small));
        for (Family family : wanted) {
            descriptors.add(new ColumnFamilyDescriptor(family.name().getBytes(StandardCharsets.US_ASCII),
                family.largeValues() ? large : small));
        }
        try {
            db = RocksDB.open(options, directory.toString(), descriptors, families);
        } catch (RocksDBException e) {
            freeResources();
            throw e;
        }
        logWrite = new WriteOptions().setSync(false);
    }

    /**
     * Opens (or creates) the database in {@code directory} with the default column family (index 0 of
     * {@link #family}) and {@code families} after it, in that order; {@code what} names it in errors ("block store").
     */
    public static RocksDatabase open(String what, Path directory, Sizes sizes, List<Family> families)
            throws RocksDBException {
        return new RocksDatabase(what, directory, sizes, families);
    }

    public RocksDB db() {
        return db;
    }

    /** The default family for 0, then the families given to {@link #open} in their order. */
    public ColumnFamilyHandle family(int index) {
        return families.get(index);
    }

    /** Writes to the log without syncing it. */
    public WriteOptions logWrite() {
        return logWrite;
    }

    /** Runs {@code operation} unless the database is closed ({@link IllegalStateException}); close waits for it. */
    public <T> T whileOpen(Supplier<T> operation) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The " + what + " is closed");
            }
            return operation.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Runs {@code call}, turning RocksDB's failure into the store's own exception. */
    public static <T> T rocks(RocksCall<T> call, BiFunction<String, RocksDBException, RuntimeException> failure) {
        try {
            return call.call();
        } catch (RocksDBException e) {
            throw failure.apply("RocksDB failed: " + e.getMessage(), e);
        }
    }

    /** Syncs the write-ahead log (for every write before this call), unless closed. */
    public void syncWal() throws RocksDBException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The " + what + " is closed");
            }
            db.syncWal();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Syncs the log and frees everything, once operations under way are done; later calls do nothing. */
    public void close() throws RocksDBException {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            logWrite.close();
            families.forEach(ColumnFamilyHandle::close);
            try {
                db.syncWal();
                db.closeE();
            } finally {
                freeResources();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void freeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // Freeing native option objects cannot fail in a way we could act on.
            }
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }
}
