package org.epost.mailbox.model;

import java.util.List;

import org.epost.post.log.LogEntry;
import org.epost.post.log.LogRecord;

/**
 * The records of a folder's log, one per message touched: a James operation on many messages appends all of its
 * records in one group commit. Each is small (an added message's metadata is ~200 bytes plus its keywords and MIME
 * properties; a flag change or an expunge a few dozen), so clusters hold hundreds.
 */
public sealed interface FolderRecord {
    int MESSAGE_ADDED = 1;
    int FLAGS_CHANGED = 2;
    int MESSAGE_EXPUNGED = 3;

    int type();

    byte[] encode();

    default LogEntry toEntry() {
        return new LogEntry(type(), encode());
    }

    /** @throws RecordFormatException when the record is not one of this log's, or not canonically encoded */
    static FolderRecord decode(LogRecord record) {
        return switch (record.type()) {
            case MESSAGE_ADDED -> Cbor.decodeCanonical(record.body(), MessageAdded::read, MessageAdded::encode,
                "message-added record " + record.seq());
            case FLAGS_CHANGED -> Cbor.decodeCanonical(record.body(), FlagsChanged::read, FlagsChanged::encode,
                "flags-changed record " + record.seq());
            case MESSAGE_EXPUNGED -> Cbor.decodeCanonical(record.body(), MessageExpunged::read,
                MessageExpunged::encode, "expunge record " + record.seq());
            default -> throw new RecordFormatException("record " + record.seq() + " has type " + record.type()
                + ", unknown to a folder log");
        };
    }

    /** A message appended, copied or moved into the folder. */
    record MessageAdded(MessageEntry message) implements FolderRecord {
        @Override
        public int type() {
            return MESSAGE_ADDED;
        }

        @Override
        public byte[] encode() {
            Cbor.Writer out = new Cbor.Writer(256);
            message.write(out);
            return out.toBytes();
        }

        static MessageAdded read(Cbor.Reader in) {
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
            Cbor.Writer out = new Cbor.Writer(32);
            return out.array(4).number(uid).number(modSeq).number(systemFlags).list(userFlags, out::text).end()
                .toBytes();
        }

        static FlagsChanged read(Cbor.Reader in) {
            in.beginArray();
            FlagsChanged record = new FlagsChanged(in.nonNegative("uid"), in.nonNegative("modseq"),
                in.bounded("system flags", SystemFlags.ALL), in.list(Cbor.Reader::text));
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
            return new Cbor.Writer(16).array(2).number(uid).number(modSeq).end().toBytes();
        }

        static MessageExpunged read(Cbor.Reader in) {
            in.beginArray();
            MessageExpunged record = new MessageExpunged(in.nonNegative("uid"), in.nonNegative("modseq"));
            in.endArray();
            return record;
        }
    }
}
