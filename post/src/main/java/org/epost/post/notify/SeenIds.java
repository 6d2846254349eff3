package org.epost.post.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The notification ids a home peer has accepted, for duplicate suppression, each remembered for a window after the
 * notification's own (signed) date. A notification older than the window cannot be told from a replay any more, so
 * the home peer refuses it ({@link #remembers}); that is what lets the ids be forgotten, and the set stay as large as
 * one window of mail rather than all mail ever received. The window must cover how long delegates may hold a
 * notification plus clock skew.
 *
 * <p>An id is {@link #begin begun} (written ahead) before its notification is handed to the sink and {@link #add added}
 * once the sink took it: an id begun and not added is one whose earlier hand-over did not finish, the process having
 * died or the sink failed, so the mail may be in the mailbox already and a retry must check before appending.
 *
 * <p>{@link #inMemory()} forgets everything on restart; {@link #file} keeps the ids in an append-only file
 * ({@link SeenIdsFile}), forced to disk on each begin and add or in groups ({@link #groupCommitted}; the futures
 * {@link #begin} and {@link #add} answer complete once their line is on disk) and compacted as ids expire.
 */
public interface SeenIds {

    /** Beyond the longest hold, a day for clock skew and for retries after a delegate's hold ended. */
    long MARGIN_MILLIS = 86_400_000L;

    /** The window for delegates that hold notifications at most {@code holdMillis}. */
    static long windowFor(long holdMillis) {
        return holdMillis + MARGIN_MILLIS;
    }

    boolean contains(byte[] id);

    /** Whether {@code id} was {@link #begin begun} and not {@link #add added} since. */
    boolean begun(byte[] id);

    /**
     * Writes ahead that the notification {@code id} of {@code date} is being handed to the sink (nothing if known):
     * at once for {@link #begun}, durably when the answer completes (exceptionally if it cannot be made durable).
     */
    CompletableFuture<Void> begin(byte[] id, long date);

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
        Set<String> begun = new HashSet<>();
        return new SeenIds() {
            @Override
            public boolean contains(byte[] id) {
                return ids.containsKey(HexFormat.of().formatHex(id));
            }

            @Override
            public boolean begun(byte[] id) {
                return begun.contains(HexFormat.of().formatHex(id));
            }

            @Override
            public CompletableFuture<Void> begin(byte[] id, long date) {
                if (!contains(id)) {
                    begun.add(HexFormat.of().formatHex(id));
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> add(byte[] id, long date) {
                begun.remove(HexFormat.of().formatHex(id));
                ids.put(HexFormat.of().formatHex(id), date);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean remembers(long date, long now) {
                return true;
            }
        };
    }

    /** Ids kept in {@code file} for {@code windowMillis} after their notification's date, forced on every line. */
    static SeenIds file(Path file, long windowMillis, LongSupplier clock) throws IOException {
        return of(SeenIdsFile.open(file, windowMillis, clock, false), windowMillis);
    }

    /**
     * As {@link #file}, but forced by a committer thread for all the lines written meanwhile: the futures complete
     * on that thread, so callers must hand their continuations to their own thread (a live node, not a simulation).
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
            public boolean begun(byte[] id) {
                return stored.begun(HexFormat.of().formatHex(id));
            }

            @Override
            public CompletableFuture<Void> begin(byte[] id, long date) {
                try {
                    return stored.begin(HexFormat.of().formatHex(id), date);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
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

    /** One line of the file: the id in hex and the notification's date, marked when only begun. */
    static ByteBuffer line(String hex, long date, boolean begun) {
        return ByteBuffer.wrap((hex + " " + date + (begun ? " " + SeenIdsFile.BEGUN : "") + "\n")
            .getBytes(StandardCharsets.US_ASCII));
    }
}
