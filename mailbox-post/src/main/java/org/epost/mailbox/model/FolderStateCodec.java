package org.epost.mailbox.model;

import java.nio.ByteBuffer;
import java.util.List;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.log.LogReducer;
import org.epost.post.log.StateBody;

/**
 * The one canonical encoding of a {@link FolderState} (folder snapshots in the DHT and the peer's cached view), read
 * so that a large folder opens without decoding its messages:
 * <pre>
 *   [version 2, [lastUid, highestModSeq, [keywords],
 *                uids: bstr (8 bytes each, big-endian, ascending), flags: bstr (1 byte of system flags each),
 *                sizes: bstr (8 bytes each), lengths: bstr (4 bytes each: each entry's encoded length),
 *                entries: bstr (the {@link MessageEntry} encodings, one after the other, in UID order)]]
 * </pre>
 * The columns are checked when read (UIDs ascending and within the counters, flags known, lengths adding up); each
 * entry is decoded, strictly, when first used, and must agree with its columns. Version 1, {@code [1, [lastUid,
 * highestModSeq, [keywords], [entries]]]}, is still read (snapshots and views written before version 2); a view is
 * written again the next time it is saved. The peer's cached view holds the state split in two ({@link #encodeParts},
 * version 3 for its head): the columns, read at open, and the entries, opened a segment at a time.
 */
final class FolderStateCodec {
    static final int FORMAT_VERSION = 2;
    static final int FORMAT_VERSION_1 = 1;
    static final int SPLIT_VERSION = 3;
    private static final int MAX_ENTRY_BYTES = 1 << 20;

    private FolderStateCodec() {
    }

    static byte[] encode(FolderState state) {
        Columns columns = Columns.of(state);
        return CborRecordWriter.envelope(FORMAT_VERSION, 64 + columns.bytes() + columns.entryBytes, out ->
            columns.write(out.array(8).number(state.lastUid).number(state.highestModSeq)
                .list(List.copyOf(state.keywords), out::text)).bytes(entries(state, columns.entryBytes)).end());
    }

    /**
     * A state split for the peer's cached view ({@link LogReducer#encodeParts}): the head is version 2 without its
     * entry column, {@code [3, [lastUid, highestModSeq, [keywords], uids, flags, sizes, lengths]]}, and the body is
     * the entries, so that an open decrypts the columns and leaves the entries sealed until they are read.
     */
    static LogReducer.Parts encodeParts(FolderState state) {
        Columns columns = Columns.of(state);
        return new LogReducer.Parts(encodeHead(state, columns), entries(state, columns.entryBytes));
    }

    private static byte[] encodeHead(FolderState state) {
        return encodeHead(state, Columns.of(state));
    }

    private static byte[] encodeHead(FolderState state, Columns columns) {
        return CborRecordWriter.envelope(SPLIT_VERSION, 64 + columns.bytes(), out ->
            columns.write(out.array(7).number(state.lastUid).number(state.highestModSeq)
                .list(List.copyOf(state.keywords), out::text)).end());
    }

    /** Reads what {@link #encodeParts} made; the entries stay in {@code body} until each is first used. */
    static FolderState decodeParts(byte[] head, StateBody body) {
        return CborRecordReader.decodeCanonical(head, "folder state head", RecordFormatException.FAILURES,
            in -> in.envelope(SPLIT_VERSION, "folder state head", columns -> {
                FolderState state = new FolderState();
                columns.beginArray();
                readCounters(state, columns);
                readColumns(state, columns, body);
                columns.endArray();
                return state;
            }), FolderStateCodec::encodeHead);
    }

    private static byte[] entries(FolderState state, int total) {
        byte[] entries = new byte[total];
        int offset = 0;
        for (EntrySlot slot : state.messages.values()) {
            slot.copyEncoding(entries, offset);
            offset += slot.encodedLength();
        }
        return entries;
    }

    /** The UID, flag, size and length columns of a state, and the length of its entries. */
    private record Columns(byte[] uids, byte[] flags, byte[] sizes, byte[] lengths, int entryBytes) {
        static Columns of(FolderState state) {
            int count = state.messages.size();
            ByteBuffer uids = ByteBuffer.allocate(8 * count);
            byte[] flags = new byte[count];
            ByteBuffer sizes = ByteBuffer.allocate(8 * count);
            ByteBuffer lengths = ByteBuffer.allocate(4 * count);
            long total = 0;
            int i = 0;
            for (EntrySlot slot : state.messages.values()) {
                uids.putLong(slot.uid());
                flags[i++] = (byte) slot.systemFlags();
                sizes.putLong(slot.size());
                lengths.putInt(slot.encodedLength());
                total += slot.encodedLength();
            }
            if (total > Integer.MAX_VALUE - 1024) {
                throw new IllegalStateException("folder state of " + total + " bytes of entries cannot be encoded");
            }
            return new Columns(uids.array(), flags, sizes.array(), lengths.array(), (int) total);
        }

        int bytes() {
            return uids.length + flags.length + sizes.length + lengths.length + 32;
        }

        CborRecordWriter write(CborRecordWriter out) {
            return out.bytes(uids).bytes(flags).bytes(sizes).bytes(lengths);
        }
    }

    static FolderState read(CborRecordReader<RecordFormatException> in) {
        FolderState state = new FolderState();
        in.beginArray();
        readCounters(state, in);
        readColumns(state, in, null);
        in.endArray();
        return state;
    }

    /** The four columns, then the entries from {@code body}, or from the next item of {@code in} when it is null. */
    private static void readColumns(FolderState state, CborRecordReader<RecordFormatException> in, StateBody body) {
        ByteBuffer uids = ByteBuffer.wrap(in.bytes(Integer.MAX_VALUE));
        byte[] flags = in.bytes(Integer.MAX_VALUE);
        ByteBuffer sizes = ByteBuffer.wrap(in.bytes(Integer.MAX_VALUE));
        ByteBuffer lengths = ByteBuffer.wrap(in.bytes(Integer.MAX_VALUE));
        StateBody entries = body != null ? body : StateBody.of(in.bytes(Integer.MAX_VALUE));
        int count = flags.length;
        if (uids.capacity() != 8L * count || sizes.capacity() != 8L * count || lengths.capacity() != 4L * count) {
            throw new RecordFormatException("folder state columns of different lengths");
        }
        long previous = 0;
        int offset = 0;
        for (int i = 0; i < count; i++) {
            long uid = uids.getLong();
            int systemFlags = flags[i] & 0xff;
            long size = sizes.getLong();
            int length = lengths.getInt();
            if (uid <= previous || uid > state.lastUid) {
                throw new RecordFormatException("message UIDs out of order or beyond the folder's last UID");
            }
            if ((systemFlags & ~SystemFlags.ALL) != 0 || size < 0) {
                throw new RecordFormatException("unknown system flags or negative size of UID " + uid);
            }
            if (length <= 0 || length > MAX_ENTRY_BYTES || length > entries.length() - offset) {
                throw new RecordFormatException("entry length " + length + " of UID " + uid + " out of bounds");
            }
            state.insert(EntrySlot.encoded(uid, systemFlags, size, entries, offset, length));
            offset += length;
            previous = uid;
        }
        if (offset != entries.length()) {
            throw new RecordFormatException((entries.length() - offset) + " bytes after the last message entry");
        }
    }

    // ---------------------------------------------------------------- version 1 (read only)

    /** Version 1's encoding of {@code state}: only to check that a version-1 input was canonical. */
    static byte[] encodeVersion1(FolderState state) {
        return CborRecordWriter.envelope(FORMAT_VERSION_1, 64 + state.messages.size() * 200, out -> {
            out.array(4).number(state.lastUid).number(state.highestModSeq)
                .list(List.copyOf(state.keywords), out::text);
            out.array(state.messages.size());
            state.messages.values().forEach(slot -> slot.entry().write(out));
            out.end().end();
        });
    }

    static FolderState readVersion1(CborRecordReader<RecordFormatException> in) {
        FolderState state = new FolderState();
        in.beginArray();
        readCounters(state, in);
        List<MessageEntry> entries = in.list(MessageEntry::read);
        in.endArray();
        long previous = 0;
        for (MessageEntry entry : entries) {
            if (entry.uid() <= previous || entry.uid() > state.lastUid || entry.modSeq() > state.highestModSeq) {
                throw new RecordFormatException("message entries out of order or beyond the folder's counters");
            }
            previous = entry.uid();
            state.insert(EntrySlot.of(entry));
        }
        return state;
    }

    private static void readCounters(FolderState state, CborRecordReader<RecordFormatException> in) {
        state.lastUid = in.nonNegative("last uid");
        state.highestModSeq = in.nonNegative("highest modseq");
        List<String> keywords = in.list(CborRecordReader::text);
        if (!keywords.equals(MessageEntry.normalizedKeywords(keywords))) {
            throw new RecordFormatException("keywords are not sorted and unique");
        }
        state.keywords.addAll(keywords);
    }
}
