package org.epost.post.store;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.epost.overlay.time.Clock;

/**
 * The convergent parts this peer stored or fetched moments ago, by their convergent key: storing the same part again
 * (a recipient's peer appending a message it has just fetched, the same attachment sent twice in a row) reuses the
 * reference instead of inserting every block again. Bounded in entries and age, in memory only; thread-safe.
 *
 * <p>Only convergent (unpadded) parts are kept, and only under the key their plaintext really hashes to (the caller
 * checks that for fetched parts): a reference whose key was chosen by someone else cannot be planted here.
 */
public final class RecentParts {
    private final Clock clock;
    private final int maxEntries;
    private final long maxAgeMillis;
    private final Map<String, Entry> entries;

    private record Entry(PartReference reference, long since) {
    }

    /**
     * @param maxEntries   how many references are kept at most (the oldest go first)
     * @param maxAgeMillis how long a reference is reused after it was stored or fetched: well under the lease a
     *                     stored part gets, so that a reused reference still names live blocks
     */
    public RecentParts(Clock clock, int maxEntries, long maxAgeMillis) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1 || maxAgeMillis <= 0) {
            throw new IllegalArgumentException("maxEntries and maxAgeMillis are positive");
        }
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAgeMillis;
        this.entries = new LinkedHashMap<>(16, 0.75f, false);
    }

    /** 1,024 references for ten minutes. */
    public static RecentParts defaults(Clock clock) {
        return new RecentParts(clock, 1024, 10 * 60_000L);
    }

    /** Remembers a convergent part this peer has just stored or verified; padded parts are ignored. */
    public synchronized void remember(PartReference reference) {
        if (reference.padded()) {
            return;
        }
        String key = hex(reference.key());
        entries.remove(key);
        entries.put(key, new Entry(reference, clock.now()));
        while (entries.size() > maxEntries) {
            entries.remove(entries.keySet().iterator().next());
        }
    }

    /** The reference of the part whose convergent key is {@code convergentKey}, if it was seen recently enough. */
    public synchronized Optional<PartReference> find(byte[] convergentKey, long size) {
        String key = hex(convergentKey);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.now() - entry.since() > maxAgeMillis) {
            entries.remove(key);
            return Optional.empty();
        }
        return entry.reference().size() == size ? Optional.of(entry.reference()) : Optional.empty();
    }

    public synchronized int size() {
        return entries.size();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
