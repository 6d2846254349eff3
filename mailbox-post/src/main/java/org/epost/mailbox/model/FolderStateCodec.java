package org.epost.mailbox.model;

import java.nio.ByteBuffer;
import java.util.ArrayList;
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
            columns.write(out.array(8).number(state.lastUid()).number(state.highestModSeq())
                .list(List.copyOf(state.keywords()), out::text)).bytes(entries(state, columns.entryBytes)).end());
    }

    /**
     * A state split for the peer's cached view ({@link LogReducer#encodeParts}): the head is version 2 without its
     * entry column and with its columns in {@link CompactColumns}, {@code [3, [lastUid, highestModSeq, [keywords],
     * uid gaps, flags, sizes, lengths]]}, and the body is the entries, so that an open decrypts the columns and leaves
     * the entries sealed until they are read.
     */
    static LogReducer.Parts encodeParts(FolderState state) {
        Columns columns = Columns.of(state);
        return new LogReducer.Parts(encodeHead(state, columns), entries(state, columns.entryBytes));
    }

    private static byte[] encodeHead(FolderState state, Columns columns) {
        return CborRecordWriter.envelope(SPLIT_VERSION, 64 + columns.bytes(), out ->
            columns.writeCompact(out.array(7).number(state.lastUid()).number(state.highestModSeq())
                .list(List.copyOf(state.keywords()), out::text)).end());
    }

    /** A decoded head and the columns it was read from. */
    private record DecodedHead(FolderState state, Columns columns) {
    }

    /**
     * Reads what {@link #encodeParts} made; the entries stay in {@code body} until each is first used. The canonical
     * check encodes the head again from the columns just read (what {@link #encodeHead} would take from the state,
     * whose slots were made from them), not by walking the 100,000 slots of a large folder's map once more.
     */
    static FolderState decodeParts(byte[] head, StateBody body) {
        return CborRecordReader.decodeCanonical(head, "folder state head", RecordFormatException.FAILURES,
            in -> in.envelope(SPLIT_VERSION, "folder state head", fields -> {
                fields.beginArray();
                Counters counters = readCounters(fields);
                Columns columns = Columns.readCompact(fields);
                FolderState state = counters.state(slots(counters, columns, body));
                fields.endArray();
                return new DecodedHead(state, columns);
            }), decoded -> encodeHead(decoded.state(), decoded.columns())).state();
    }

    private static byte[] entries(FolderState state, int total) {
        byte[] entries = new byte[total];
        int offset = 0;
        for (EntrySlot slot : state.slots()) {
            slot.copyEncoding(entries, offset);
            offset += slot.encodedLength();
        }
        return entries;
    }

    /** The UID, flag, size and length columns of a state, and the length of its entries. */
    private record Columns(long[] uids, byte[] flags, long[] sizes, int[] lengths, int entryBytes) {
        static Columns of(FolderState state) {
            int count = state.count();
            Columns columns = new Columns(new long[count], new byte[count], new long[count], new int[count], 0);
            long total = 0;
            int i = 0;
            for (EntrySlot slot : state.slots()) {
                columns.uids[i] = slot.uid();
                columns.flags[i] = (byte) slot.systemFlags();
                columns.sizes[i] = slot.size();
                columns.lengths[i++] = slot.encodedLength();
                total += slot.encodedLength();
            }
            if (total > Integer.MAX_VALUE - 1024) {
                throw new IllegalStateException("folder state of " + total + " bytes of entries cannot be encoded");
            }
            return new Columns(columns.uids, columns.flags, columns.sizes, columns.lengths, (int) total);
        }

        int bytes() {
            return 21 * flags.length + 32;
        }

        /** Version 2: UIDs and sizes 8 bytes each, lengths 4 bytes each, big-endian. */
        CborRecordWriter write(CborRecordWriter out) {
            ByteBuffer uidBytes = ByteBuffer.allocate(8 * uids.length);
            ByteBuffer sizeBytes = ByteBuffer.allocate(8 * sizes.length);
            ByteBuffer lengthBytes = ByteBuffer.allocate(4 * lengths.length);
            for (int i = 0; i < uids.length; i++) {
                uidBytes.putLong(uids[i]);
                sizeBytes.putLong(sizes[i]);
                lengthBytes.putInt(lengths[i]);
            }
            return out.bytes(uidBytes.array()).bytes(flags).bytes(sizeBytes.array()).bytes(lengthBytes.array());
        }

        /** The split head (version 3): {@link CompactColumns}, UIDs as gaps, sizes and lengths as varints. */
        CborRecordWriter writeCompact(CborRecordWriter out) {
            long[] wideLengths = new long[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                wideLengths[i] = lengths[i];
            }
            return out.bytes(CompactColumns.gaps(uids)).bytes(flags).bytes(CompactColumns.varints(sizes))
                .bytes(CompactColumns.varints(wideLengths));
        }

        static Columns read(CborRecordReader<RecordFormatException> in) {
            byte[] uids = in.bytes(Integer.MAX_VALUE);
            byte[] flags = in.bytes(Integer.MAX_VALUE);
            byte[] sizes = in.bytes(Integer.MAX_VALUE);
            byte[] lengths = in.bytes(Integer.MAX_VALUE);
            int count = flags.length;
            if (uids.length != 8L * count || sizes.length != 8L * count || lengths.length != 4L * count) {
                throw new RecordFormatException("folder state columns of different lengths");
            }
            Columns columns = new Columns(new long[count], flags, new long[count], new int[count], 0);
            ByteBuffer uidBytes = ByteBuffer.wrap(uids);
            ByteBuffer sizeBytes = ByteBuffer.wrap(sizes);
            ByteBuffer lengthBytes = ByteBuffer.wrap(lengths);
            for (int i = 0; i < count; i++) {
                columns.uids[i] = uidBytes.getLong();
                columns.sizes[i] = sizeBytes.getLong();
                columns.lengths[i] = lengthBytes.getInt();
            }
            return columns;
        }

        static Columns readCompact(CborRecordReader<RecordFormatException> in) {
            byte[] uids = in.bytes(Integer.MAX_VALUE);
            byte[] flags = in.bytes(Integer.MAX_VALUE);
            int count = flags.length;
            long[] sizes = CompactColumns.readVarints(in.bytes(Integer.MAX_VALUE), count, "size column");
            long[] wideLengths = CompactColumns.readVarints(in.bytes(Integer.MAX_VALUE), count, "length column");
            int[] lengths = new int[count];
            for (int i = 0; i < count; i++) {
                lengths[i] = (int) Math.min(Integer.MAX_VALUE, wideLengths[i]);
            }
            return new Columns(CompactColumns.readGaps(uids, count, "UID column"), flags, sizes, lengths, 0);
        }
    }

    static FolderState read(CborRecordReader<RecordFormatException> in) {
        in.beginArray();
        Counters counters = readCounters(in);
        Columns columns = Columns.read(in);
        FolderState state = counters.state(slots(counters, columns, StateBody.of(in.bytes(Integer.MAX_VALUE))));
        in.endArray();
        return state;
    }

    /** Slots for the columns, their entries in {@code entries} one after the other, each checked against its row. */
    private static List<EntrySlot> slots(Counters counters, Columns columns, StateBody entries) {
        List<EntrySlot> slots = new ArrayList<>(columns.flags.length);
        long previous = 0;
        int offset = 0;
        for (int i = 0; i < columns.flags.length; i++) {
            long uid = columns.uids[i];
            int systemFlags = columns.flags[i] & 0xff;
            long size = columns.sizes[i];
            int length = columns.lengths[i];
            if (uid <= previous || uid > counters.lastUid()) {
                throw new RecordFormatException("message UIDs out of order or beyond the folder's last UID");
            }
            if ((systemFlags & ~SystemFlags.ALL) != 0 || size < 0) {
                throw new RecordFormatException("unknown system flags or negative size of UID " + uid);
            }
            if (length <= 0 || length > MAX_ENTRY_BYTES || length > entries.length() - offset) {
                throw new RecordFormatException("entry length " + length + " of UID " + uid + " out of bounds");
            }
            slots.add(EntrySlot.encoded(uid, systemFlags, size, entries, offset, length));
            offset += length;
            previous = uid;
        }
        if (offset != entries.length()) {
            throw new RecordFormatException((entries.length() - offset) + " bytes after the last message entry");
        }
        return slots;
    }

    // ---------------------------------------------------------------- version 1 (read only)

    /** Version 1's encoding of {@code state}: only to check that a version-1 input was canonical. */
    static byte[] encodeVersion1(FolderState state) {
        return CborRecordWriter.envelope(FORMAT_VERSION_1, 64 + state.count() * 200, out -> {
            out.array(4).number(state.lastUid()).number(state.highestModSeq())
                .list(List.copyOf(state.keywords()), out::text);
            out.array(state.count());
            state.entries().forEach(entry -> entry.write(out));
            out.end().end();
        });
    }

    static FolderState readVersion1(CborRecordReader<RecordFormatException> in) {
        in.beginArray();
        Counters counters = readCounters(in);
        List<MessageEntry> entries = in.list(MessageEntry::read);
        in.endArray();
        long previous = 0;
        List<EntrySlot> slots = new ArrayList<>(entries.size());
        for (MessageEntry entry : entries) {
            if (entry.uid() <= previous || entry.uid() > counters.lastUid()
                || entry.modSeq() > counters.highestModSeq()) {
                throw new RecordFormatException("message entries out of order or beyond the folder's counters");
            }
            previous = entry.uid();
            slots.add(EntrySlot.of(entry));
        }
        return counters.state(slots);
    }

    /** What precedes a state's messages in every version. */
    private record Counters(long lastUid, long highestModSeq, List<String> keywords) {
        FolderState state(List<EntrySlot> slots) {
            return FolderState.decoded(lastUid, highestModSeq, keywords, slots);
        }
    }

    private static Counters readCounters(CborRecordReader<RecordFormatException> in) {
        long lastUid = in.nonNegative("last uid");
        long highestModSeq = in.nonNegative("highest modseq");
        List<String> keywords = in.list(CborRecordReader::text);
        if (!keywords.equals(MessageEntry.normalizedKeywords(keywords))) {
            throw new RecordFormatException("keywords are not sorted and unique");
        }
        return new Counters(lastUid, highestModSeq, keywords);
    }
}
