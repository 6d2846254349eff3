package org.epost.post.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.overlay.id.Id;

/**
 * A delegate store's index and byte accounting: at most {@code quotaBytes} of bodies in all, and at most half of that
 * from any one sending peer, so that one peer (a broken one, or one sending during a long outage) cannot take the
 * room the others' delegations need. Not thread-safe: the stores synchronize.
 */
final class DelegateQuota {
    /** Most notifications indexed at once, whatever their size (each costs a little heap). */
    static final int MAX_ENTRIES = 100_000;
    private static final Id UNKNOWN_ORIGIN = Id.of(new byte[Id.BYTES]);
    private final long quotaBytes;
    private final Map<String, DelegateStore.Entry> entries = new LinkedHashMap<>();
    private final Map<Id, Long> byOrigin = new HashMap<>();
    private long usedBytes;

    DelegateQuota(long quotaBytes) {
        if (quotaBytes <= 0) {
            throw new IllegalArgumentException("a delegate store quota is positive, not " + quotaBytes);
        }
        this.quotaBytes = quotaBytes;
    }

    /**
     * Counts {@code entry} in, or says why not; false if it is counted already (nothing to store).
     */
    boolean admit(DelegateStore.Entry entry) throws DelegateStore.FullException {
        if (entries.containsKey(entry.idHex())) {
            return false;
        }
        if (entries.size() >= MAX_ENTRIES) {
            throw new DelegateStore.FullException("delegate store full: " + entries.size() + " notifications kept");
        }
        if (usedBytes + entry.size() > quotaBytes) {
            throw new DelegateStore.FullException("delegate store full: " + usedBytes + " of " + quotaBytes
                    + " bytes used, " + entry.size() + " more asked");
        }
        long fromOrigin = byOrigin.getOrDefault(origin(entry), 0L);
        if (fromOrigin + entry.size() > quotaBytes / 2) {
            throw new DelegateStore.FullException("delegate store share of sending peer " + entry.origin()
                    + " full: " + fromOrigin + " of " + quotaBytes / 2 + " bytes used");
        }
        restore(entry);
        return true;
    }

    /** Counts in an entry found on disk at start, quota or not (it was admitted before the restart). */
    void restore(DelegateStore.Entry entry) {
        if (entries.putIfAbsent(entry.idHex(), entry) == null) {
            usedBytes += entry.size();
            byOrigin.merge(origin(entry), (long) entry.size(), Long::sum);
        }
    }

    void release(byte[] id) {
        DelegateStore.Entry entry = entries.remove(HexFormat.of().formatHex(id));
        if (entry != null) {
            usedBytes -= entry.size();
            byOrigin.computeIfPresent(origin(entry), (origin, bytes) -> bytes == entry.size() ? null
                    : bytes - entry.size());
        }
    }

    /** The sending peer's share is counted by node id; entries kept before origins were recorded share one. */
    private static Id origin(DelegateStore.Entry entry) {
        return entry.origin() == null ? UNKNOWN_ORIGIN : entry.origin().id();
    }

    boolean contains(byte[] id) {
        return entries.containsKey(HexFormat.of().formatHex(id));
    }

    List<DelegateStore.Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    long usedBytes() {
        return usedBytes;
    }
}
