package org.epost.post.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The notification ids a home peer has accepted, for duplicate suppression, each remembered for a window after the
 * notification's own (signed) date. A notification older than the window cannot be told from a replay any more, so
 * the home peer refuses it ({@link #remembers}); that is what lets the ids be forgotten, and the set stay as large as
 * one window of mail rather than all mail ever received. The window must cover how long delegates may hold a
 * notification plus clock skew.
 *
 * <p>{@link #inMemory()} forgets everything on restart; {@link #file} keeps the ids in an append-only file
 * ({@link SeenIdsFile}), forced to disk on each add or in groups ({@link #groupCommitted}; the future {@link #add}
 * answers completes once its id is on disk) and compacted as ids expire.
 */
public interface SeenIds {

    /** Beyond the longest hold, a day for clock skew and for retries after a delegate's hold ended. */
    long MARGIN_MILLIS = 86_400_000L;

    /** The window for delegates that hold notifications at most {@code holdMillis}. */
    static long windowFor(long holdMillis) {
        return holdMillis + MARGIN_MILLIS;
    }

    boolean contains(byte[] id);

    /**
     * Remembers {@code id} of a notification dated {@code date} until the window after that date has passed: at once
     * for {@link #contains}, and durably when the answer completes (exceptionally if it cannot be made durable).
     */
    CompletableFuture<Void> add(byte[] id, long date);

    /** Whether a notification of {@code date} is still within the window at {@code now}, so a replay would be seen. */
    boolean remembers(long date, long now);

    /** Remembers for ever, until the process ends (tests, simulations). */
    static SeenIds inMemory() {
        Map<String, Long> ids = new HashMap<>();
        return new SeenIds() {
            @Override
            public boolean contains(byte[] id) {
                return ids.containsKey(HexFormat.of().formatHex(id));
            }

            @Override
            public CompletableFuture<Void> add(byte[] id, long date) {
                ids.put(HexFormat.of().formatHex(id), date);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean remembers(long date, long now) {
                return true;
            }
        };
    }

    /** Ids kept in {@code file} for {@code windowMillis} after their notification's date, forced on every add. */
    static SeenIds file(Path file, long windowMillis, LongSupplier clock) throws IOException {
        return of(SeenIdsFile.open(file, windowMillis, clock, false), windowMillis);
    }

    /**
     * As {@link #file}, but forced by a committer thread for all the ids added meanwhile: an add's future completes
     * on that thread, so its callers must hand the continuation to their own thread (a live node, not a simulation).
     */
    static SeenIds groupCommitted(Path file, long windowMillis, LongSupplier clock) throws IOException {
        return of(SeenIdsFile.open(file, windowMillis, clock, true), windowMillis);
    }

    private static SeenIds of(SeenIdsFile stored, long windowMillis) {
        return new SeenIds() {
            @Override
            public boolean contains(byte[] id) {
                return stored.contains(HexFormat.of().formatHex(id));
            }

            @Override
            public CompletableFuture<Void> add(byte[] id, long date) {
                try {
                    return stored.add(HexFormat.of().formatHex(id), date);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public boolean remembers(long date, long now) {
                return date >= now - windowMillis;
            }
        };
    }

    /** One line of the file: the id in hex and the notification's date. */
    static ByteBuffer line(String hex, long date) {
        return ByteBuffer.wrap((hex + " " + date + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
