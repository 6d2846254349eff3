package org.epost.mailbox.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Slots already in ascending UID order, seen as a sorted map only so that {@link java.util.TreeMap#putAll} builds
 * its tree from them in linear time (it does so for an empty map given a {@link SortedMap} of the same ordering),
 * instead of 100,000 inserts each walking and rebalancing the tree when a large folder's state is decoded. Only
 * what {@code putAll} reads is provided: the size, the entries in order and the natural ordering.
 */
final class AscendingSlots extends AbstractMap<Long, EntrySlot> implements SortedMap<Long, EntrySlot> {
    private final List<EntrySlot> slots;

    /** {@code slots} must be ascending by UID without repeats: the caller has checked it. */
    AscendingSlots(List<EntrySlot> slots) {
        this.slots = slots;
    }

    @Override
    public Comparator<? super Long> comparator() {
        return null; // natural ordering, as the folder's TreeMap
    }

    @Override
    public Set<Map.Entry<Long, EntrySlot>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<Long, EntrySlot>> iterator() {
                Iterator<EntrySlot> each = slots.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return each.hasNext();
                    }

                    @Override
                    public Map.Entry<Long, EntrySlot> next() {
                        EntrySlot slot = each.next();
                        return new SimpleImmutableEntry<>(slot.uid(), slot);
                    }
                };
            }

            @Override
            public int size() {
                return slots.size();
            }
        };
    }

    @Override
    public SortedMap<Long, EntrySlot> subMap(Long fromKey, Long toKey) {
        throw new UnsupportedOperationException("only read whole, in order");
    }

    @Override
    public SortedMap<Long, EntrySlot> headMap(Long toKey) {
        throw new UnsupportedOperationException("only read whole, in order");
    }

    @Override
    public SortedMap<Long, EntrySlot> tailMap(Long fromKey) {
        throw new UnsupportedOperationException("only read whole, in order");
    }

    @Override
    public Long firstKey() {
        return slots.get(0).uid();
    }

    @Override
    public Long lastKey() {
        return slots.get(slots.size() - 1).uid();
    }
}
