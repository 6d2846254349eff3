package org.epost.post.notify;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What the roles of one node counted, by name ({@link NotificationService#counters()}). Node thread only. */
final class Counters {
    private final Map<String, Long> counts = new TreeMap<>();

    void count(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    long get(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** A copy, so that callers may keep it while the node goes on counting. */
    Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
