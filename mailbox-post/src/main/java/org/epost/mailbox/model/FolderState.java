package org.epost.mailbox.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The materialized view of one folder's log: UID -> {@link MessageEntry}, UIDNEXT-1 ({@link #lastUid()}) and
 * HIGHESTMODSEQ, the keywords ever used (IMAP FLAGS grows, it never forgets one), and counters kept as records are
 * applied. Only {@link FolderReducer} changes it; everyone else reads it under the folder's lock.
 *
 * <p>Encoded (snapshots and the local cache) as {@code [format version 1, [lastUid, highestModSeq, [keywords],
 * [entries]]]}; the counters and the message-id index are derived when decoding.
 */
public final class FolderState {
    private long lastUid;
    private long highestModSeq;
    private final TreeMap<Long, MessageEntry> messages = new TreeMap<>();
    private final TreeSet<String> keywords = new TreeSet<>();
    private final Map<MessageKey, NavigableSet<Long>> uidsByMessageId = new HashMap<>();
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
        return messages.get(uid);
    }

    /** Messages with {@code from <= uid <= to}, ascending, at most {@code limit} (no limit when <= 0). */
    public List<MessageEntry> range(long from, long to, int limit) {
        if (from > to) {
            return List.of();
        }
        List<MessageEntry> found = new ArrayList<>();
        for (MessageEntry entry : messages.subMap(from, true, to, true).values()) {
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            found.add(entry);
        }
        return found;
    }

    /** Every message, ascending by UID (an unmodifiable view: read it under the folder's lock). */
    public NavigableMap<Long, MessageEntry> messages() {
        return Collections.unmodifiableNavigableMap(messages);
    }

    /** Keywords used in this folder since it was created. */
    public Set<String> keywords() {
        return Collections.unmodifiableSet(keywords);
    }

    /** UIDs of the copies of message {@code id} in this folder, ascending. */
    public List<Long> uidsOf(MessageKey id) {
        NavigableSet<Long> uids = uidsByMessageId.get(id);
        return uids == null ? List.of() : List.copyOf(uids);
    }

    public Long firstUnseen() {
        if (unseen == 0) {
            return null;
        }
        for (MessageEntry entry : messages.values()) {
            if (!entry.has(SystemFlags.SEEN)) {
                return entry.uid();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- changes (FolderReducer only)

    void apply(FolderRecord record, long seq) {
        if (record instanceof FolderRecord.MessageAdded added) {
            add(added.message(), seq);
        } else if (record instanceof FolderRecord.FlagsChanged changed) {
            MessageEntry old = require(changed.uid(), seq);
            remove(old);
            insert(old.withFlags(changed.modSeq(), changed.systemFlags(), changed.userFlags()));
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
        insert(entry);
        lastUid = Math.max(lastUid, entry.uid());
        highestModSeq = Math.max(highestModSeq, entry.modSeq());
    }

    private MessageEntry require(long uid, long seq) {
        MessageEntry entry = messages.get(uid);
        if (entry == null) {
            throw new IllegalStateException("record " + seq + " names UID " + uid + ", which is not in the folder");
        }
        return entry;
    }

    private void insert(MessageEntry entry) {
        messages.put(entry.uid(), entry);
        keywords.addAll(entry.userFlags());
        uidsByMessageId.computeIfAbsent(entry.messageId(), k -> new TreeSet<>()).add(entry.uid());
        if (!entry.has(SystemFlags.SEEN)) {
            unseen++;
        }
        octets += entry.size();
    }

    private void remove(MessageEntry entry) {
        messages.remove(entry.uid());
        NavigableSet<Long> uids = uidsByMessageId.get(entry.messageId());
        uids.remove(entry.uid());
        if (uids.isEmpty()) {
            uidsByMessageId.remove(entry.messageId());
        }
        if (!entry.has(SystemFlags.SEEN)) {
            unseen--;
        }
        octets -= entry.size();
    }

    // ---------------------------------------------------------------- CBOR

    /** Format version of the encoded state: {@code [version, [lastUid, highestModSeq, [keywords], [entries]]]}. */
    static final int FORMAT_VERSION = 1;

    byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 64 + messages.size() * 200, this::write);
    }

    private void write(CborRecordWriter out) {
        out.array(4).number(lastUid).number(highestModSeq).list(List.copyOf(keywords), out::text);
        out.array(messages.size());
        messages.values().forEach(entry -> entry.write(out));
        out.end().end();
    }

    static FolderState read(CborRecordReader<RecordFormatException> in) {
        FolderState state = new FolderState();
        in.beginArray();
        state.lastUid = in.nonNegative("last uid");
        state.highestModSeq = in.nonNegative("highest modseq");
        List<String> keywords = in.list(CborRecordReader::text);
        if (!keywords.equals(MessageEntry.normalizedKeywords(keywords))) {
            throw new RecordFormatException("keywords are not sorted and unique");
        }
        state.keywords.addAll(keywords);
        List<MessageEntry> entries = in.list(MessageEntry::read);
        in.endArray();
        long previous = 0;
        for (MessageEntry entry : entries) {
            if (entry.uid() <= previous || entry.uid() > state.lastUid || entry.modSeq() > state.highestModSeq) {
                throw new RecordFormatException("message entries out of order or beyond the folder's counters");
            }
            previous = entry.uid();
            state.insert(entry);
        }
        return state;
    }
}
