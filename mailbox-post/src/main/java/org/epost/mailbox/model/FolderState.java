package org.epost.mailbox.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The materialized view of one folder's log: UID -> {@link MessageEntry}, UIDNEXT-1 ({@link #lastUid()}) and
 * HIGHESTMODSEQ, the keywords ever used (IMAP FLAGS grows, it never forgets one), and counters kept as records are
 * applied.
 *
 * <p>An immutable value: {@link FolderReducer} derives the next state from this one ({@link #apply}) and shares every
 * message the record did not touch ({@link PersistentSortedMap}: a change copies about log2(n) tree nodes). So the
 * folder's log publishes each durable state to readers, who read it without a lock while the writer derives the next
 * one from it, and a state a reader holds never changes under it.
 *
 * <p>A state read from its encoding holds each message as an {@link EntrySlot}: UID, system flags and size at hand,
 * the entry decoded when first asked for, so the first SELECT of a large folder after a restart (counts, UIDs,
 * recent and first unseen) decodes no entry. The message-id index is built on its first use and carried into the
 * states derived from this one once built.
 *
 * <p>Encoded (snapshots and the local cache) as {@link FolderStateCodec} says; the counters are derived when decoding.
 */
public final class FolderState {
    private static final FolderState EMPTY = new FolderState(0, 0, PersistentSortedMap.empty(), Set.of(), 0, 0, null);

    private final long lastUid;
    private final long highestModSeq;
    private final PersistentSortedMap<Long, EntrySlot> messages;
    /** Sorted, never changed (a new keyword makes a new set). */
    private final Set<String> keywords;
    private final long unseen;
    private final long octets;
    /** Message id -> its UIDs ascending; null until first used (listing UIDs and counting must not decode entries). */
    private volatile PersistentSortedMap<MessageKey, long[]> uidsByMessageId;

    private FolderState(long lastUid, long highestModSeq, PersistentSortedMap<Long, EntrySlot> messages,
                        Set<String> keywords, long unseen, long octets,
                        PersistentSortedMap<MessageKey, long[]> uidsByMessageId) {
        this.lastUid = lastUid;
        this.highestModSeq = highestModSeq;
        this.messages = messages;
        this.keywords = keywords;
        this.unseen = unseen;
        this.octets = octets;
        this.uidsByMessageId = uidsByMessageId;
    }

    /** The state of a new folder. */
    static FolderState empty() {
        return EMPTY;
    }

    /**
     * A state decoded from its encoding: {@code slots} strictly ascending by UID, {@code keywords} sorted and unique
     * (the codec checks both against its input).
     */
    static FolderState decoded(long lastUid, long highestModSeq, Collection<String> keywords, List<EntrySlot> slots) {
        long unseen = 0;
        long octets = 0;
        for (EntrySlot slot : slots) {
            unseen += slot.has(SystemFlags.SEEN) ? 0 : 1;
            octets += slot.size();
        }
        return new FolderState(lastUid, highestModSeq, PersistentSortedMap.ofSorted(slots, EntrySlot::uid, s -> s),
            sortedCopy(keywords), unseen, octets, null);
    }

    private static Set<String> sortedCopy(Collection<String> keywords) {
        return keywords.isEmpty() ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(keywords));
    }

    /** The highest UID ever given in this folder (0: none); UIDNEXT is one more. */
    public long lastUid() {
        return lastUid;
    }

    /** HIGHESTMODSEQ: the highest MODSEQ of any change (add, flag change, expunge); 0 for a new folder. */
    public long highestModSeq() {
        return highestModSeq;
    }

    public int count() {
        return messages.size();
    }

    public long unseen() {
        return unseen;
    }

    /** Total RFC822.SIZE of the messages: the folder's share of the quota. */
    public long octets() {
        return octets;
    }

    public MessageEntry get(long uid) {
        EntrySlot slot = messages.get(uid);
        return slot == null ? null : slot.entry();
    }

    /** Messages with {@code from <= uid <= to}, ascending, at most {@code limit} (no limit when <= 0). */
    public List<MessageEntry> range(long from, long to, int limit) {
        if (from > to) {
            return List.of();
        }
        List<MessageEntry> found = new ArrayList<>();
        for (EntrySlot slot : messages.values(from, to)) {
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            found.add(slot.entry());
        }
        return found;
    }

    /** Every UID, ascending (decodes no entry). */
    public List<Long> uids() {
        List<Long> uids = new ArrayList<>(messages.size());
        messages.forEach((uid, slot) -> uids.add(uid));
        return Collections.unmodifiableList(uids);
    }

    /**
     * UIDs of the messages that have system flag {@code flag}, ascending (decodes no entry). One pass over the slots
     * into one list: a first SELECT asks it for \Recent, which a folder of 100,000 new messages gives every slot.
     */
    public List<Long> uidsWith(int flag) {
        List<Long> found = new ArrayList<>();
        messages.forEach((uid, slot) -> {
            if (slot.has(flag)) {
                found.add(uid);
            }
        });
        return Collections.unmodifiableList(found);
    }

    /** Messages that have system flag {@code flag}, ascending by UID (decodes only those). */
    public List<MessageEntry> with(int flag) {
        return slotsWith(flag).stream().map(EntrySlot::entry).toList();
    }

    private List<EntrySlot> slotsWith(int flag) {
        List<EntrySlot> found = new ArrayList<>();
        for (EntrySlot slot : messages.values()) {
            if (slot.has(flag)) {
                found.add(slot);
            }
        }
        return found;
    }

    /** Every message, ascending by UID, decoded as the iteration reaches it. */
    public Iterable<MessageEntry> entries() {
        return () -> new MappedIterator(messages.values().iterator());
    }

    /** Each message's slot, ascending by UID (the codec). */
    Iterable<EntrySlot> slots() {
        return messages.values();
    }

    /** Keywords used in this folder since it was created, sorted. */
    public Set<String> keywords() {
        return keywords;
    }

    /** UIDs of the copies of message {@code id} in this folder, ascending; the first call decodes every entry. */
    public List<Long> uidsOf(MessageKey id) {
        long[] uids = index().get(id);
        if (uids == null) {
            return List.of();
        }
        List<Long> found = new ArrayList<>(uids.length);
        for (long uid : uids) {
            found.add(uid);
        }
        return Collections.unmodifiableList(found);
    }

    /** Built once per state (two threads may both build it: the same index). */
    private PersistentSortedMap<MessageKey, long[]> index() {
        PersistentSortedMap<MessageKey, long[]> index = uidsByMessageId;
        if (index == null) {
            index = PersistentSortedMap.empty();
            for (EntrySlot slot : messages.values()) {
                index = indexed(index, slot.entry().messageId(), slot.uid());
            }
            uidsByMessageId = index;
        }
        return index;
    }

    private static PersistentSortedMap<MessageKey, long[]> indexed(PersistentSortedMap<MessageKey, long[]> index,
                                                                  MessageKey id, long uid) {
        long[] uids = index.get(id);
        if (uids == null) {
            return index.put(id, new long[] {uid});
        }
        long[] more = Arrays.copyOf(uids, uids.length + 1);
        more[uids.length] = uid;
        Arrays.sort(more);
        return index.put(id, more);
    }

    private static PersistentSortedMap<MessageKey, long[]> unindexed(PersistentSortedMap<MessageKey, long[]> index,
                                                                    MessageKey id, long uid) {
        long[] uids = index.get(id);
        long[] fewer = Arrays.stream(uids).filter(u -> u != uid).toArray();
        return fewer.length == 0 ? index.remove(id) : index.put(id, fewer);
    }

    public Long firstUnseen() {
        if (unseen == 0) {
            return null;
        }
        for (EntrySlot slot : messages.values()) {
            if (!slot.has(SystemFlags.SEEN)) {
                return slot.uid();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- changes (FolderReducer only)

    /**
     * The state after {@code record}; this one is left as it was.
     *
     * @throws IllegalStateException when the record contradicts this state
     */
    FolderState apply(FolderRecord record, long seq) {
        if (record instanceof FolderRecord.MessageAdded added) {
            MessageEntry entry = added.message();
            if (messages.containsKey(entry.uid())) {
                throw new IllegalStateException("record " + seq + " adds UID " + entry.uid() + ", which is in use");
            }
            return without(null).with(EntrySlot.of(entry), entry.userFlags(), Math.max(lastUid, entry.uid()),
                entry.modSeq());
        }
        if (record instanceof FolderRecord.FlagsChanged changed) {
            EntrySlot old = require(changed.uid(), seq);
            MessageEntry entry = old.entry().withFlags(changed.modSeq(), changed.systemFlags(), changed.userFlags());
            return without(old).with(EntrySlot.of(entry), changed.userFlags(), lastUid, changed.modSeq());
        }
        if (record instanceof FolderRecord.MessageExpunged expunged) {
            return without(require(expunged.uid(), seq)).with(null, List.of(), lastUid, expunged.modSeq());
        }
        return this;
    }

    private EntrySlot require(long uid, long seq) {
        EntrySlot slot = messages.get(uid);
        if (slot == null) {
            throw new IllegalStateException("record " + seq + " names UID " + uid + ", which is not in the folder");
        }
        return slot;
    }

    /** This state without {@code slot} (none: this state's messages), as a draft for {@link #with}. */
    private Draft without(EntrySlot slot) {
        Draft draft = new Draft(messages, uidsByMessageId, unseen, octets);
        if (slot != null) {
            draft.messages = draft.messages.remove(slot.uid());
            if (draft.index != null) {
                draft.index = unindexed(draft.index, slot.entry().messageId(), slot.uid());
            }
            draft.unseen -= slot.has(SystemFlags.SEEN) ? 0 : 1;
            draft.octets -= slot.size();
        }
        return draft;
    }

    /** The parts of a state being derived, changed only inside {@link #apply}. */
    private final class Draft {
        PersistentSortedMap<Long, EntrySlot> messages;
        PersistentSortedMap<MessageKey, long[]> index;
        long unseen;
        long octets;

        Draft(PersistentSortedMap<Long, EntrySlot> messages, PersistentSortedMap<MessageKey, long[]> index,
              long unseen, long octets) {
            this.messages = messages;
            this.index = index;
            this.unseen = unseen;
            this.octets = octets;
        }

        /** The new state, with {@code slot} added (when not null) and {@code newKeywords} among the keywords. */
        FolderState with(EntrySlot slot, Collection<String> newKeywords, long nextLastUid, long modSeq) {
            if (slot != null) {
                messages = messages.put(slot.uid(), slot);
                if (index != null) {
                    index = indexed(index, slot.entry().messageId(), slot.uid());
                }
                unseen += slot.has(SystemFlags.SEEN) ? 0 : 1;
                octets += slot.size();
            }
            Set<String> nextKeywords = keywords;
            if (!keywords.containsAll(newKeywords)) {
                TreeSet<String> grown = new TreeSet<>(keywords);
                grown.addAll(newKeywords);
                nextKeywords = Collections.unmodifiableSet(grown);
            }
            return new FolderState(nextLastUid, Math.max(highestModSeq, modSeq), messages, nextKeywords, unseen,
                octets, index);
        }
    }

    private record MappedIterator(Iterator<EntrySlot> slots) implements Iterator<MessageEntry> {
        @Override
        public boolean hasNext() {
            return slots.hasNext();
        }

        @Override
        public MessageEntry next() {
            return slots.next().entry();
        }
    }
}
