package org.epost.interop.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * The peer's {@link RouteTable}, kept in one file ({@link RouteTableCodec}) that is replaced atomically: written to a
 * temporary file, fsynced, renamed over the old one, and the directory fsynced, so a crash leaves the old table or the
 * new one, never a mix. A file that does not decode stops the peer with an error naming it (mail must not silently go
 * to the wrong server).
 *
 * <p>Relays to the legacy server run under {@link #withTable}, which holds the table's read lock; a change takes the
 * write lock. So once a change that moves a user to ePOST has returned, no relay for that user to the legacy server is
 * in flight or can start — what the migration's last delta pass relies on to leave nothing behind.
 */
public final class RouteStore {
    public static final String FILE_NAME = "routes.cbor";

    /** Work done while no route can change. */
    @FunctionalInterface
    public interface TableAction<T, E extends Exception> {
        T apply(RouteTable table) throws E;
    }

    private final Path file;
    private final ReadWriteLock lock = new ReentrantReadWriteLock(true);
    private volatile RouteTable table;

    private RouteStore(Path file, RouteTable table) {
        this.file = file;
        this.table = table;
    }

    /** Opens the table kept in {@code directory} (empty if there is none yet). */
    public static RouteStore open(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        Files.createDirectories(directory);
        try {
            return new RouteStore(file, RouteTableCodec.decode(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return new RouteStore(file, RouteTable.empty());
        } catch (IllegalArgumentException e) {
            throw new IOException("the route table " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    public RouteTable table() {
        return table;
    }

    public Route routeOf(String address) {
        return table.routeOf(address);
    }

    public <T, E extends Exception> T withTable(TableAction<T, E> action) throws E {
        lock.readLock().lock();
        try {
            return action.apply(table);
        } finally {
            lock.readLock().unlock();
        }
    }

    public RouteTable setUser(String address, Optional<Route> route) {
        return update(current -> current.withUser(address, route));
    }

    public RouteTable setDomain(String domain, Optional<Route> route) {
        return update(current -> current.withDomain(domain, route));
    }

    private RouteTable update(UnaryOperator<RouteTable> change) {
        lock.writeLock().lock();
        try {
            RouteTable changed = change.apply(table);
            write(RouteTableCodec.encode(changed));
            table = changed;
            return changed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void write(byte[] bytes) {
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(Objects.requireNonNull(file.getParent()), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the route table " + file, e);
        }
    }
}
