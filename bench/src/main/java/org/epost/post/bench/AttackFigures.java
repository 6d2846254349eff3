package org.epost.post.bench;

import java.util.Map;
import java.util.TreeMap;

/** What the hostile node did during one attack, printed as one JSON object when it ends. Thread-safe. */
final class AttackFigures {
    private final Map<String, Long> values = new TreeMap<>();

    synchronized void count(String name) {
        values.merge(name, 1L, Long::sum);
    }

    synchronized void sent(long bytes) {
        values.merge("messages-sent", 1L, Long::sum);
        values.merge("bytes-sent", bytes, Long::sum);
    }

    /** A level (connections held): the highest seen is kept. */
    synchronized void gauge(String name, long value) {
        values.merge(name + "-max", value, Math::max);
    }

    synchronized String json(String attack, long seconds) {
        StringBuilder out = new StringBuilder("{\"attack\":\"").append(attack).append("\",\"seconds\":")
            .append(seconds);
        values.forEach((name, value) -> out.append(",\"").append(name).append("\":").append(value));
        return out.append('}').toString();
    }
}
