package org.epost.peer.imap.framing;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where IMAP literals too large for memory are written ({@link SpilledLiteral}), and how much disk they may use there,
 * all connections of all the peer's IMAP servers together (one per peer). Without it each connection was bounded (one
 * command's literals, at most {@code literalSizeLimit} each) but their number was not ({@code connectionLimit} is 0),
 * so clients, logged in or not, could fill {@code java.io.tmpdir} by announcing large literals on many connections.
 *
 * <p>A literal's whole announced size is reserved before its first octet is asked for (or, for a LITERAL+ literal,
 * read), so a literal never fails halfway for lack of room: it is either refused at its announcement
 * ({@code NO [LIMIT]}, nothing stored) or has its room until its file is deleted. The reservation is given back when
 * the file is deleted, whichever way: the APPEND was processed, the command was refused, the connection closed.
 */
public final class LiteralScratch {
    private final Path directory;
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** What {@code /epost/status} shows: the budget, the bytes and files held now, literals refused since start. */
    public record Figures(long capacityBytes, long usedBytes, long files, long refusedLiterals) {
    }

    public LiteralScratch(Path directory, long capacity) {
        this.directory = Objects.requireNonNull(directory);
        if (capacity < 1) {
            throw new IllegalArgumentException("the scratch budget of IMAP literals must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    Path directory() {
        return directory;
    }

    public long capacity() {
        return capacity;
    }

    /** Room for a literal of {@code bytes}, or null when the budget has not that much left (counted as refused). */
    Reservation reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (bytes > capacity - now) {
                refused.incrementAndGet();
                return null;
            }
            if (used.compareAndSet(now, now + bytes)) {
                files.incrementAndGet();
                return new Reservation(bytes);
            }
        }
    }

    public Figures figures() {
        return new Figures(capacity, used.get(), files.get(), refused.get());
    }

    /** One literal's room; {@link #release()} gives it back once, however often it is called. */
    final class Reservation {
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                used.addAndGet(-bytes);
                files.decrementAndGet();
            }
        }
    }
}
