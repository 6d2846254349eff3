package org.epost.durability.glacier.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.epost.overlay.past.store.GroupCommitter;
import org.epost.overlay.past.store.RocksDatabase;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
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
    static final RocksDatabase.Sizes SIZES = new RocksDatabase.Sizes(16L << 20, 8L << 20, 4L << 20, 4096, 128,
        64L << 20);

    private final Path directory;
    private final RocksDatabase database;
    private final RocksDB db;
    private final ColumnFamilyHandle fragments;
    private final ColumnFamilyHandle records;
    private final WriteOptions logWrite;
    private final GroupCommitter committer;

    private RocksDbFragmentStore(Path directory) throws RocksDBException {
        this.directory = directory;
        database = RocksDatabase.open("fragment store", directory, SIZES,
            List.of(RocksDatabase.Family.large("fragments"), RocksDatabase.Family.small("records")));
        db = database.db();
        fragments = database.family(1);
        records = database.family(2);
        logWrite = database.logWrite();
        committer = new GroupCommitter("glacier-" + directory.getFileName(), () -> rocks(() -> {
            database.syncWal();
            return null;
        }));
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
        try {
            database.close();
        } catch (RocksDBException e) {
            throw new FragmentStoreException("Cannot close the fragment store cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "RocksDbFragmentStore(" + directory + ")";
    }

    private <T> T whileOpen(Supplier<T> operation) {
        return database.whileOpen(operation);
    }

    private static <T> T rocks(RocksDatabase.RocksCall<T> call) {
        return RocksDatabase.rocks(call, FragmentStoreException::new);
    }
}
