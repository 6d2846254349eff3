package org.epost.peer.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Named;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's local directory on disk: the mail domains and user accounts James serves, and later the ePOST
 * user directory. One RocksDB database, one column family per {@link Table}. Every write is synced to disk before
 * it returns, so an account James reported as created survives kill -9 and power loss.
 */
public final class PeerDirectoryStore implements AutoCloseable {
    /** Guice name of the directory the store lives in. */
    public static final String LOCATION = "epost.directory.location";
    private static final Logger LOGGER = LoggerFactory.getLogger(PeerDirectoryStore.class);

    /** The tables of the directory. Adding one is backward compatible: RocksDB creates missing column families. */
    public enum Table {
        DOMAINS("domains"),
        USERS("users"),
        /** Users deleted in James whose ePOST keys and data are kept for the grace period: when they were deleted. */
        DELETED_USERS("deleted-users");

        private final String columnFamily;

        Table(String columnFamily) {
            this.columnFamily = columnFamily;
        }
    }

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnFamilyOptions;
    private final WriteOptions syncWrites;
    private final RocksDB db;
    private final ColumnFamilyHandle defaultFamily;
    private final Map<Table, ColumnFamilyHandle> families;
    // Native handles must not be used after close (that crashes the JVM): operations hold the read lock,
    // close() takes the write lock.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** Opens (creating if needed) the store in {@code directory}; James closes it on shutdown. */
    @Inject
    public PeerDirectoryStore(@Named(LOCATION) Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DirectoryStoreException("Cannot create the peer directory store at " + directory, e);
        }
        this.dbOptions = new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            // The directory is small; keep RocksDB's own memory and file handles modest beside James.
            .setMaxOpenFiles(64)
            .setKeepLogFileNum(3);
        this.columnFamilyOptions = new ColumnFamilyOptions().setWriteBufferSize(4L * 1024 * 1024);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnFamilyOptions));
        for (Table table : Table.values()) {
            descriptors.add(new ColumnFamilyDescriptor(table.columnFamily.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            columnFamilyOptions.close();
            throw new DirectoryStoreException("Cannot open the peer directory store at " + directory
                + " (is another James process using this data directory?): " + e.getMessage(), e);
        }
        this.syncWrites = new WriteOptions().setSync(true);
        this.defaultFamily = handles.get(0);
        this.families = new EnumMap<>(Table.class);
        Table[] tables = Table.values();
        for (int i = 0; i < tables.length; i++) {
            families.put(tables[i], handles.get(i + 1));
        }
        LOGGER.info("Opened the peer directory store at {}", directory);
    }

    public Path directory() {
        return directory;
    }

    public void put(Table table, String key, byte[] value) {
        whileOpen(() -> {
            try {
                db.put(families.get(table), syncWrites, utf8(key), value);
                return null;
            } catch (RocksDBException e) {
                throw failure("write " + table + "/" + key, e);
            }
        });
    }

    public Optional<byte[]> get(Table table, String key) {
        return whileOpen(() -> {
            try {
                return Optional.ofNullable(db.get(families.get(table), utf8(key)));
            } catch (RocksDBException e) {
                throw failure("read " + table + "/" + key, e);
            }
        });
    }

    public void delete(Table table, String key) {
        whileOpen(() -> {
            try {
                db.delete(families.get(table), syncWrites, utf8(key));
                return null;
            } catch (RocksDBException e) {
                throw failure("delete " + table + "/" + key, e);
            }
        });
    }

    /** All keys of a table in byte order. Directories hold at most an organization's users, so a list is fine. */
    public List<String> keys(Table table) {
        return whileOpen(() -> {
            List<String> keys = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(families.get(table))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    keys.add(new String(iterator.key(), StandardCharsets.UTF_8));
                }
                iterator.status();
            } catch (RocksDBException e) {
                throw failure("list " + table, e);
            }
            return keys;
        });
    }

    /** Proves the store answers: used by the healthcheck. */
    public void probe() {
        whileOpen(() -> {
            try {
                db.get(defaultFamily, utf8("probe"));
                String errors = db.getProperty(defaultFamily, "rocksdb.background-errors");
                if (!"0".equals(errors)) {
                    throw new DirectoryStoreException("RocksDB reports " + errors + " background errors at " + directory, null);
                }
                return null;
            } catch (RocksDBException e) {
                throw failure("probe", e);
            }
        });
    }

    private <T> T whileOpen(Supplier<T> operation) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new DirectoryStoreException("The peer directory store at " + directory + " is closed", null);
            }
            return operation.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private DirectoryStoreException failure(String operation, RocksDBException e) {
        return new DirectoryStoreException("Peer directory store at " + directory + " failed to " + operation
            + ": " + e.getMessage(), e);
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    @PreDestroy
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                LOGGER.warn("Could not sync the WAL of {} on close", directory, e);
            }
            families.values().forEach(ColumnFamilyHandle::close);
            defaultFamily.close();
            db.close();
            syncWrites.close();
            dbOptions.close();
            columnFamilyOptions.close();
            LOGGER.info("Closed the peer directory store at {}", directory);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
