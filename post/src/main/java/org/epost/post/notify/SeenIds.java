package org.epost.post.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
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
 * ({@link SeenIdsFile}), forced to disk before {@link #begin} and {@link #add} return and compacted as ids expire.
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

    /** Writes ahead that the notification {@code id} of {@code date} is being handed to the sink (no-op if known). */
    void begin(byte[] id, long date);

    /** Remembers {@code id} of a notification dated {@code date} until the window after that date has passed. */
    void add(byte[] id, long date);

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
            public void begin(byte[] id, long date) {
                if (!contains(id)) {
                    begun.add(HexFormat.of().formatHex(id));
                }
            }

            @Override
            public void add(byte[] id, long date) {
                begun.remove(HexFormat.of().formatHex(id));
                ids.put(HexFormat.of().formatHex(id), date);
            }

            @Override
            public boolean remembers(long date, long now) {
                return true;
            }
        };
    }

    /** Ids kept in {@code file} for {@code windowMillis} after their notification's date, by {@code clock}. */
    static SeenIds file(Path file, long windowMillis, LongSupplier clock) throws IOException {
        SeenIdsFile stored = SeenIdsFile.open(file, windowMillis, clock);
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
            public void begin(byte[] id, long date) {
                try {
                    stored.begin(HexFormat.of().formatHex(id), date);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void add(byte[] id, long date) {
                try {
                    stored.add(HexFormat.of().formatHex(id), date);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
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
