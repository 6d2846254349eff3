package org.epost.durability.glacier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.overlay.id.Id;

/**
 * The fragments one node holds, each with its lease, bounded by a byte quota (the encoded size counts). Ordered by
 * ring position, because audits ask for a key range; found by (object, index), because reads do. Only valid
 * fragments are ever put here ({@link FragmentHolder} checks). In memory for now: a node that restarts comes back
 * empty and is refilled by audits, like a new node.
 */
final class LocalFragments {

    /** A held fragment: where it lives on the ring, its encoding's size, its lease. */
    record Held(Id position, Fragment fragment, int encodedBytes, long expiry) {
    }

    record Key(Id handle, int index) {
    }

    private final long quotaBytes;
    private final NavigableMap<Id, Held> byPosition = new TreeMap<>();
    private final Map<Key, Id> positions = new HashMap<>();
    private long usedBytes;

    LocalFragments(long quotaBytes) {
        this.quotaBytes = quotaBytes;
    }

    enum PutResult { STORED, EXTENDED, FULL }

    /** Holds {@code fragment} (already verified) until {@code expiry}; a held one only gets the longer lease. */
    PutResult put(Fragment fragment, int encodedBytes, long expiry) {
        Key key = new Key(fragment.manifest().objectHandle(), fragment.index());
        Id held = positions.get(key);
        if (held != null) {
            Held existing = byPosition.get(held);
            if (expiry > existing.expiry()) {
                byPosition.put(held, new Held(held, existing.fragment(), existing.encodedBytes(), expiry));
            }
            return PutResult.EXTENDED;
        }
        if (usedBytes + encodedBytes > quotaBytes) {
            return PutResult.FULL;
        }
        Id position = FragmentPlacement.position(key.handle(), key.index(), fragment.manifest().n());
        byPosition.put(position, new Held(position, fragment, encodedBytes, expiry));
        positions.put(key, position);
        usedBytes += encodedBytes;
        return PutResult.STORED;
    }

    Optional<Held> get(Id handle, int index) {
        Id position = positions.get(new Key(handle, index));
        return position == null ? Optional.empty() : Optional.of(byPosition.get(position));
    }

    boolean contains(Id handle, int index) {
        return positions.containsKey(new Key(handle, index));
    }

    void remove(Id handle, int index) {
        Id position = positions.remove(new Key(handle, index));
        if (position != null) {
            usedBytes -= byPosition.remove(position).encodedBytes();
        }
    }

    /** The fragments at positions in the ring arc [from, to) (the whole ring when from equals to), in ring order. */
    List<Held> inArc(Id from, Id to) {
        List<Held> found = new ArrayList<>();
        if (from.compareTo(to) < 0) {
            found.addAll(byPosition.subMap(from, true, to, false).values());
        } else {
            found.addAll(byPosition.tailMap(from, true).values());
            found.addAll(byPosition.headMap(to, false).values());
        }
        return found;
    }

    List<Held> all() {
        return new ArrayList<>(byPosition.values());
    }

    int count() {
        return byPosition.size();
    }

    long usedBytes() {
        return usedBytes;
    }
}
