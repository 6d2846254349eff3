package org.epost.mailbox.model;

import java.util.List;
import java.util.function.Function;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.log.LogEntry;
import org.epost.post.log.LogRecord;

/**
 * The records of a folder's log, one per message touched: a James operation on many messages appends all of its
 * records in one group commit. Each is small (an added message's metadata is ~200 bytes plus its keywords and MIME
 * properties; a flag change or an expunge a few dozen), so clusters hold hundreds. Each record is encoded as
 * {@code [format version 1, the record's own array]}.
 */
public sealed interface FolderRecord {
    int MESSAGE_ADDED = 1;
    int FLAGS_CHANGED = 2;
    int MESSAGE_EXPUNGED = 3;
    /** Format version of every folder record: {@code [version, body]}, the body the record's own array. */
    int FORMAT_VERSION = 1;

    int type();

    byte[] encode();

    default LogEntry toEntry() {
        return new LogEntry(type(), encode());
    }

    /** @throws RecordFormatException when the record is not one of this log's, or not canonically encoded */
    static FolderRecord decode(LogRecord record) {
        return switch (record.type()) {
            case MESSAGE_ADDED -> decodeBody(record, "message-added record", MessageAdded::read, MessageAdded::encode);
            case FLAGS_CHANGED -> decodeBody(record, "flags-changed record", FlagsChanged::read, FlagsChanged::encode);
            case MESSAGE_EXPUNGED -> decodeBody(record, "expunge record", MessageExpunged::read,
                MessageExpunged::encode);
            default -> throw new RecordFormatException("record " + record.seq() + " has type " + record.type()
                + ", unknown to a folder log");
        };
    }

    private static <T extends FolderRecord> T decodeBody(LogRecord record, String what,
                                                         CborRecordReader.Decoder<T, RecordFormatException> body,
                                                         Function<T, byte[]> encoder) {
        return CborRecordReader.decodeCanonical(record.body(), what + " " + record.seq(),
            RecordFormatException.FAILURES, in -> in.envelope(FORMAT_VERSION, what, body), encoder);
    }

    /** A message appended, copied or moved into the folder. */
    record MessageAdded(MessageEntry message) implements FolderRecord {
        @Override
        public int type() {
            return MESSAGE_ADDED;
        }

        @Override
        public byte[] encode() {
            return CborRecordWriter.envelope(FORMAT_VERSION, 256, message::write);
        }

        static MessageAdded read(CborRecordReader<RecordFormatException> in) {
            return new MessageAdded(MessageEntry.read(in));
        }
    }

    /** New flags of message {@code uid}, changed at {@code modSeq}. [uid, modseq, flags, [keywords]] */
    record FlagsChanged(long uid, long modSeq, int systemFlags, List<String> userFlags) implements FolderRecord {
        public FlagsChanged {
            userFlags = MessageEntry.normalizedKeywords(userFlags);
        }

        @Override
        public int type() {
            return FLAGS_CHANGED;
        }

        @Override
        public byte[] encode() {
            return CborRecordWriter.envelope(FORMAT_VERSION, 32, out -> out.array(4).number(uid).number(modSeq)
                .number(systemFlags).list(userFlags, out::text).end());
        }

        static FlagsChanged read(CborRecordReader<RecordFormatException> in) {
            in.beginArray();
            FlagsChanged record = new FlagsChanged(in.nonNegative("uid"), in.nonNegative("modseq"),
                in.bounded("system flags", SystemFlags.ALL), in.list(CborRecordReader::text));
            in.endArray();
            return record;
        }
    }

    /** Message {@code uid} removed from the folder (EXPUNGE, MOVE out, delete), at {@code modSeq}. [uid, modseq] */
    record MessageExpunged(long uid, long modSeq) implements FolderRecord {
        @Override
        public int type() {
            return MESSAGE_EXPUNGED;
        }

        @Override
        public byte[] encode() {
            return CborRecordWriter.envelope(FORMAT_VERSION, 16, out -> out.array(2).number(uid).number(modSeq).end());
        }

        static MessageExpunged read(CborRecordReader<RecordFormatException> in) {
            in.beginArray();
            MessageExpunged record = new MessageExpunged(in.nonNegative("uid"), in.nonNegative("modseq"));
            in.endArray();
            return record;
        }
    }
}
