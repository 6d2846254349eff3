package org.epost.post.notify;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.epost.overlay.metrics.MetricSink;

/**
 * What the roles of one node counted, by name ({@link NotificationService#counters()}), also reported to the node's
 * metrics as {@code epost.notify.<name>} (dashes become dots). Node thread only.
 */
final class Counters {
    private final Map<String, Long> counts = new TreeMap<>();
    private final MetricSink metrics;

    Counters(MetricSink metrics) {
        this.metrics = metrics;
    }

    void count(String name) {
        counts.merge(name, 1L, Long::sum);
        metrics.count("epost.notify." + name.replace('-', '.'));
    }

    long get(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** A copy, so that callers may keep it while the node goes on counting. */
    Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
