package org.epost.spam.policy;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A set of published lists in a user's account log: the lists they follow, or the lists they publish from their own
 * block list (republished when it changes). Immutable; at most {@value #MAX_FOLLOWED} lists, since the home peer
 * fetches or publishes each one. Encoded as {@code [format version 1, [[publisher, name]...]]}, sorted and distinct.
 */
public final class FollowedLists {
    public static final int FORMAT_VERSION = 1;
    public static final int MAX_FOLLOWED = 20;
    public static final FollowedLists NONE = new FollowedLists(new TreeSet<>());

    private final SortedSet<ListRef> lists;

    private FollowedLists(TreeSet<ListRef> lists) {
        this.lists = Collections.unmodifiableSortedSet(lists);
    }

    public static FollowedLists of(List<ListRef> lists) {
        TreeSet<ListRef> set = new TreeSet<>(lists);
        if (set.size() > MAX_FOLLOWED) {
            throw new IllegalArgumentException("a user follows at most " + MAX_FOLLOWED + " lists, not " + set.size());
        }
        return new FollowedLists(set);
    }

    public SortedSet<ListRef> lists() {
        return lists;
    }

    /** @throws Full when {@code ref} is new and {@value #MAX_FOLLOWED} lists are followed already */
    public FollowedLists with(ListRef ref) {
        TreeSet<ListRef> set = new TreeSet<>(lists);
        set.add(ref);
        if (set.size() > MAX_FOLLOWED) {
            throw new Full("a user follows at most " + MAX_FOLLOWED + " lists; unfollow one first");
        }
        return new FollowedLists(set);
    }

    /** Following one more list would pass {@value #MAX_FOLLOWED}. */
    public static final class Full extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Full(String message) {
            super(message);
        }
    }

    public FollowedLists without(ListRef ref) {
        TreeSet<ListRef> set = new TreeSet<>(lists);
        set.remove(ref);
        return new FollowedLists(set);
    }

    public byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 16 + lists.size() * 64, out -> out.list(List.copyOf(lists),
            ref -> out.array(2).text(ref.publisher()).text(ref.name()).end()));
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 set of followed lists */
    public static FollowedLists decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "followed lists", SpamFormatException.FAILURES,
            in -> in.envelope(FORMAT_VERSION, "followed lists", r -> {
                List<ListRef> read = r.list(item -> {
                    item.beginArray();
                    String publisher = item.text(320);
                    String name = item.text(4 * ListRef.MAX_NAME_CHARS);
                    item.endArray();
                    try {
                        return new ListRef(publisher, name);
                    } catch (IllegalArgumentException e) {
                        throw item.malformed(e.getMessage());
                    }
                }, MAX_FOLLOWED, "followed lists");
                return of(read);
            }), FollowedLists::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FollowedLists followed && lists.equals(followed.lists);
    }

    @Override
    public int hashCode() {
        return lists.hashCode();
    }

    @Override
    public String toString() {
        return "FollowedLists" + lists;
    }
}
