package org.epost.mailbox.model;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.log.StateBody;

/**
 * One message of a {@link FolderState}: the columns a SELECT needs (UID, system flags, size) at hand, the
 * {@link MessageEntry} itself decoded from its encoding only when first asked for. A folder state read from its
 * cached view holds 100,000 such slots without decoding one entry; an entry added by a record starts decoded.
 * Safe to read from many threads (a first decode may happen twice; both give the same entry).
 */
final class EntrySlot {
    private final long uid;
    private final int systemFlags;
    private final long size;
    /**
     * The entry's canonical encoding ({@link MessageEntry#write}) is {@code length} bytes of {@code source} from
     * {@code offset}: a slice of the whole state's entry column when decoded (shared, never copied whole; in a cached
     * view still sealed until read), or null until first encoded. Set once, then only read.
     */
    private volatile Encoding encoding;
    private volatile MessageEntry entry;

    private record Encoding(StateBody source, int offset, int length) {
        byte[] bytes() {
            return source.read(offset, length);
        }
    }

    private EntrySlot(long uid, int systemFlags, long size, Encoding encoding, MessageEntry entry) {
        this.uid = uid;
        this.systemFlags = systemFlags;
        this.size = size;
        this.encoding = encoding;
        this.entry = entry;
    }

    static EntrySlot of(MessageEntry entry) {
        return new EntrySlot(entry.uid(), entry.systemFlags(), entry.size(), null, entry);
    }

    /**
     * A slot whose entry is decoded from {@code length} bytes of {@code source} at {@code offset} when first read,
     * and must then agree with the columns. {@code source} is not copied: it must never change.
     */
    static EntrySlot encoded(long uid, int systemFlags, long size, StateBody source, int offset, int length) {
        return new EntrySlot(uid, systemFlags, size, new Encoding(source, offset, length), null);
    }

    long uid() {
        return uid;
    }

    int systemFlags() {
        return systemFlags;
    }

    boolean has(int flag) {
        return SystemFlags.has(systemFlags, flag);
    }

    long size() {
        return size;
    }

    /**
     * The entry, decoded on first use. The view it came from is authenticated (sealed with the log key), so a failure
     * to decode is a bug or a writer of another format: it throws rather than guess.
     *
     * @throws RecordFormatException when the encoding does not decode or disagrees with the columns
     * @throws org.epost.post.log.BrokenViewException when the cached view's segment holding it does not open
     */
    MessageEntry entry() {
        MessageEntry decoded = entry;
        if (decoded == null) {
            decoded = CborRecordReader.decodeCanonical(encoding.bytes(), "message entry", RecordFormatException.FAILURES,
                MessageEntry::read, EntrySlot::encode);
            if (decoded.uid() != uid || decoded.systemFlags() != systemFlags || decoded.size() != size) {
                throw new RecordFormatException("message entry of UID " + decoded.uid()
                    + " disagrees with the folder's columns (UID " + uid + ")");
            }
            entry = decoded;
        }
        return decoded;
    }

    /** Length of the entry's canonical encoding, made once. */
    int encodedLength() {
        return encoding().length();
    }

    /** Copies the entry's canonical encoding to {@code target} at {@code at}. */
    void copyEncoding(byte[] target, int at) {
        Encoding made = encoding();
        made.source().copy(made.offset(), target, at, made.length());
    }

    private Encoding encoding() {
        Encoding made = encoding;
        if (made == null) {
            byte[] bytes = encode(entry);
            made = new Encoding(StateBody.of(bytes), 0, bytes.length);
            encoding = made;
        }
        return made;
    }

    static byte[] encode(MessageEntry entry) {
        CborRecordWriter out = new CborRecordWriter(256);
        entry.write(out);
        return out.toBytes();
    }
}
