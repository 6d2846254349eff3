package org.epost.spam.puzzle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each sender's recent first contacts, counted in fixed windows (the current and the previous one are summed, so a
 * sender cannot start afresh at a window's edge). Bounded: at most {@code maxSenders} senders are remembered, the one
 * seen least recently is forgotten first. Thread-safe.
 */
public final class FirstContactRate {
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, long[]> windows;

    public FirstContactRate(long windowMillis, int maxSenders, LongSupplier clock) {
        if (windowMillis < 1 || maxSenders < 1) {
            throw new IllegalArgumentException("a positive window and sender count");
        }
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.windows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxSenders;
            }
        };
    }

    /** Counts one first contact of {@code sender}; returns how many it made before this one, recently. */
    public synchronized long record(String sender) {
        long window = clock.getAsLong() / windowMillis;
        // {window, count in window, count in the window before}
        long[] state = windows.computeIfAbsent(sender, s -> new long[] {window, 0, 0});
        if (state[0] != window) {
            state[2] = state[0] == window - 1 ? state[1] : 0;
            state[1] = 0;
            state[0] = window;
        }
        long before = state[1] + state[2];
        state[1]++;
        return before;
    }

    public synchronized int senders() {
        return windows.size();
    }
}
