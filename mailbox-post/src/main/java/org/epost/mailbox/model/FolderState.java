package org.epost.mailbox.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The materialized view of one folder's log: UID -> {@link MessageEntry}, UIDNEXT-1 ({@link #lastUid()}) and
 * HIGHESTMODSEQ, the keywords ever used (IMAP FLAGS grows, it never forgets one), and counters kept as records are
 * applied. Only {@link FolderReducer} changes it; everyone else reads it under the folder's lock.
 *
 * <p>A state read from its encoding holds each message as an {@link EntrySlot}: UID, system flags and size at hand,
 * the entry decoded when first asked for, so the first SELECT of a large folder after a restart (counts, UIDs,
 * recent and first unseen) decodes no entry. The message-id index is built on its first use.
 *
 * <p>Encoded (snapshots and the local cache) as {@link FolderStateCodec} says; the counters are derived when decoding.
 */
public final class FolderState {
    long lastUid;
    long highestModSeq;
    final TreeMap<Long, EntrySlot> messages = new TreeMap<>();
    final TreeSet<String> keywords = new TreeSet<>();
    /** Built on first use: listing UIDs and counting must not decode every entry. */
    private Map<MessageKey, NavigableSet<Long>> uidsByMessageId;
    private long unseen;
    private long octets;

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
        for (EntrySlot slot : messages.subMap(from, true, to, true).values()) {
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            found.add(slot.entry());
        }
        return found;
    }

    /** Every UID, ascending (decodes no entry). */
    public List<Long> uids() {
        return List.copyOf(messages.keySet());
    }

    /** UIDs of the messages that have system flag {@code flag}, ascending (decodes no entry). */
    public List<Long> uidsWith(int flag) {
        return slotsWith(flag).stream().map(EntrySlot::uid).toList();
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

    /** Every message, ascending by UID, decoded as the iteration reaches it (read it under the folder's lock). */
    public Iterable<MessageEntry> entries() {
        return () -> messages.values().stream().map(EntrySlot::entry).iterator();
    }

    /** Keywords used in this folder since it was created. */
    public Set<String> keywords() {
        return Collections.unmodifiableSet(keywords);
    }

    /** UIDs of the copies of message {@code id} in this folder, ascending; the first call decodes every entry. */
    public synchronized List<Long> uidsOf(MessageKey id) {
        if (uidsByMessageId == null) {
            Map<MessageKey, NavigableSet<Long>> index = new HashMap<>();
            for (EntrySlot slot : messages.values()) {
                index.computeIfAbsent(slot.entry().messageId(), k -> new TreeSet<>()).add(slot.uid());
            }
            uidsByMessageId = index;
        }
        NavigableSet<Long> uids = uidsByMessageId.get(id);
        return uids == null ? List.of() : List.copyOf(uids);
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

    void apply(FolderRecord record, long seq) {
        if (record instanceof FolderRecord.MessageAdded added) {
            add(added.message(), seq);
        } else if (record instanceof FolderRecord.FlagsChanged changed) {
            EntrySlot old = require(changed.uid(), seq);
            MessageEntry entry = old.entry();
            remove(old);
            insert(EntrySlot.of(entry.withFlags(changed.modSeq(), changed.systemFlags(), changed.userFlags())));
            keywords.addAll(changed.userFlags());
            highestModSeq = Math.max(highestModSeq, changed.modSeq());
        } else if (record instanceof FolderRecord.MessageExpunged expunged) {
            remove(require(expunged.uid(), seq));
            highestModSeq = Math.max(highestModSeq, expunged.modSeq());
        }
    }

    private void add(MessageEntry entry, long seq) {
        if (messages.containsKey(entry.uid())) {
            throw new IllegalStateException("record " + seq + " adds UID " + entry.uid() + ", which is in use");
        }
        insert(EntrySlot.of(entry));
        keywords.addAll(entry.userFlags());
        lastUid = Math.max(lastUid, entry.uid());
        highestModSeq = Math.max(highestModSeq, entry.modSeq());
    }

    private EntrySlot require(long uid, long seq) {
        EntrySlot slot = messages.get(uid);
        if (slot == null) {
            throw new IllegalStateException("record " + seq + " names UID " + uid + ", which is not in the folder");
        }
        return slot;
    }

    /** Also used by the codec; keywords are the caller's. */
    synchronized void insert(EntrySlot slot) {
        messages.put(slot.uid(), slot);
        if (uidsByMessageId != null) {
            uidsByMessageId.computeIfAbsent(slot.entry().messageId(), k -> new TreeSet<>()).add(slot.uid());
        }
        if (!slot.has(SystemFlags.SEEN)) {
            unseen++;
        }
        octets += slot.size();
    }

    /**
     * The codec's: puts {@code slots}, ascending by UID (checked by the caller), into this new state at once, the map
     * built in linear time ({@link AscendingSlots}).
     */
    synchronized void insertAscending(List<EntrySlot> slots) {
        if (!messages.isEmpty() || uidsByMessageId != null) {
            throw new IllegalStateException("slots are put at once only into a new state");
        }
        messages.putAll(new AscendingSlots(slots));
        for (EntrySlot slot : slots) {
            if (!slot.has(SystemFlags.SEEN)) {
                unseen++;
            }
            octets += slot.size();
        }
    }

    private synchronized void remove(EntrySlot slot) {
        messages.remove(slot.uid());
        if (uidsByMessageId != null) {
            MessageKey id = slot.entry().messageId();
            NavigableSet<Long> uids = uidsByMessageId.get(id);
            uids.remove(slot.uid());
            if (uids.isEmpty()) {
                uidsByMessageId.remove(id);
            }
        }
        if (!slot.has(SystemFlags.SEEN)) {
            unseen--;
        }
        octets -= slot.size();
    }
}
