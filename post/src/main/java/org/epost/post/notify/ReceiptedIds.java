package org.epost.post.notify;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of delegated notifications whose receipt (or refusal) a delegate saw, so that a late copy of the delegation
 * is not kept again. Bounded twice: an id is forgotten once {@code windowMillis} (the hold plus the clock margin, as
 * {@link SeenIds#windowFor}) have passed since its receipt, after which a copy is refused as too old anyway; and at
 * most {@code maxIds} are remembered, the oldest forgotten first, so a peer flooding receipts for notifications kept
 * here costs bounded memory. Forgetting early only risks keeping a late copy once more, which the home peer's own
 * duplicate suppression ({@link SeenIds}) answers with a repeated receipt. Node thread only.
 */
final class ReceiptedIds {
    private final long windowMillis;
    private final int maxIds;
    /** Id (hex) to when its receipt was seen, oldest first. */
    private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();

    ReceiptedIds(long windowMillis, int maxIds) {
        if (windowMillis <= 0 || maxIds < 1) {
            throw new IllegalArgumentException("window and size must be positive");
        }
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
    }

    void add(String idHex, long now) {
        ids.remove(idHex);
        ids.put(idHex, now);
        prune(now);
        while (ids.size() > maxIds) {
            Iterator<String> oldest = ids.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    boolean contains(String idHex, long now) {
        prune(now);
        return ids.containsKey(idHex);
    }

    int size() {
        return ids.size();
    }

    private void prune(long now) {
        Iterator<Map.Entry<String, Long>> entries = ids.entrySet().iterator();
        while (entries.hasNext()) {
            if (now - entries.next().getValue() < windowMillis) {
                return;
            }
            entries.remove();
        }
    }
}
