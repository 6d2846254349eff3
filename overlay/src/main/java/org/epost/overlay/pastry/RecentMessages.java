package org.epost.overlay.pastry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.epost.overlay.id.Id;

/** The last N routed-message ids delivered here, to deliver a message that arrives twice (after a re-route) once. */
final class RecentMessages {
    private record MessageId(Id origin, long sequence) {
    }

    private final int capacity;
    private final Map<MessageId, Boolean> seen;

    RecentMessages(int capacity) {
        this.capacity = capacity;
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
                return size() > RecentMessages.this.capacity;
            }
        };
    }

    /** Records the id; returns false when it was seen already. */
    boolean firstTime(Id origin, long sequence) {
        return capacity == 0 || seen.put(new MessageId(origin, sequence), Boolean.TRUE) == null;
    }
}
