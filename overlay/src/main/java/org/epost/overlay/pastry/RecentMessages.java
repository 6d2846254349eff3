package org.epost.overlay.pastry;

import java.util.Arrays;

import org.epost.overlay.id.Id;

/**
 * The last N routed-message ids delivered here, to deliver a message that arrives twice (after a re-route) once. Each
 * id is kept as a 64-bit fingerprint in two arrays that grow with use up to N: the ids in arrival order (the oldest
 * is forgotten first) and an open-addressing table at most half full, so 24 bytes a message (up to 40 when N is no power of two). The map of
 * records it replaces held about 64 bytes an entry (2.6 GB for a simulated ring of 10,000 nodes at N = 4,096). Two
 * ids with one fingerprint (odds about N in 2^64) would make the second look like a duplicate and be dropped.
 */
final class RecentMessages {
    private static final int INITIAL = 16;
    /** The table's empty slot; a fingerprint that happens to be 0 is stored as 1. */
    private static final long EMPTY = 0;

    private final int capacity;
    private long[] order = new long[0];
    private long[] table = new long[0];
    private int size;
    private int oldest;

    RecentMessages(int capacity) {
        this.capacity = capacity;
    }

    /** Records the id; returns false when it was seen already. */
    boolean firstTime(Id origin, long sequence) {
        if (capacity == 0) {
            return true;
        }
        long fingerprint = fingerprint(origin, sequence);
        if (slotOf(fingerprint) >= 0) {
            return false;
        }
        if (size == capacity) {
            delete(order[oldest]);
            order[oldest] = fingerprint;
            oldest = (oldest + 1) % capacity;
        } else {
            if (size == order.length) {
                order = Arrays.copyOf(order, Math.min(capacity, Math.max(INITIAL, 2 * size)));
            }
            order[size++] = fingerprint;
        }
        if (2 * size > table.length) {
            rehash(Math.max(2 * INITIAL, 2 * table.length));
        }
        insert(fingerprint);
        return true;
    }

    /** How many ids are remembered (at most the capacity). */
    int size() {
        return size;
    }

    private static long fingerprint(Id origin, long sequence) {
        long h = 0x9E3779B97F4A7C15L * (sequence + 1);
        for (byte b : origin.toBytes()) {
            h = (h ^ b) * 0x100000001B3L;
        }
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return h == EMPTY ? 1 : h;
    }

    private int home(long fingerprint) {
        return (int) (fingerprint ^ (fingerprint >>> 32)) & (table.length - 1);
    }

    private int slotOf(long fingerprint) {
        if (table.length == 0) {
            return -1;
        }
        for (int i = home(fingerprint); table[i] != EMPTY; i = (i + 1) & (table.length - 1)) {
            if (table[i] == fingerprint) {
                return i;
            }
        }
        return -1;
    }

    private void insert(long fingerprint) {
        int i = home(fingerprint);
        while (table[i] != EMPTY) {
            i = (i + 1) & (table.length - 1);
        }
        table[i] = fingerprint;
    }

    /** Linear probing's deletion: later entries of the same probe run move back over the hole. */
    private void delete(long fingerprint) {
        int hole = slotOf(fingerprint);
        if (hole < 0) {
            return;
        }
        int mask = table.length - 1;
        for (int i = (hole + 1) & mask; table[i] != EMPTY; i = (i + 1) & mask) {
            int home = home(table[i]);
            // the entry at i may fill the hole unless its home lies cyclically in (hole, i]
            boolean homeBetween = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!homeBetween) {
                table[hole] = table[i];
                hole = i;
            }
        }
        table[hole] = EMPTY;
    }

    private void rehash(int length) {
        long[] old = table;
        table = new long[length];
        for (long fingerprint : old) {
            if (fingerprint != EMPTY) {
                insert(fingerprint);
            }
        }
    }
}
