package org.epost.post.log;

import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A cluster: up to M consecutive records in one content-hash block, pointing back at the cluster before it.
 *
 * <p>Plaintext, canonical CBOR (then sealed by {@link LogCipher} as a CLUSTER block): {@code [version 1, firstSeq:
 * uint, writerEpoch: uint, predecessor: [] or [bstr(20)], records: [[type: uint16, body: bstr], ...] (at least one)]}.
 * Record i of the cluster has sequence number firstSeq + i. Only the newest cluster of a log may be partial; a writer
 * extends it by storing a new block with the same firstSeq and predecessor (the superseded one is never referenced
 * again and expires with its lease).
 */
record Cluster(long firstSeq, long writerEpoch, Id predecessor, List<LogRecord> records) {
    static final int VERSION = 1;
    /**
     * Longest encoding of everything but the records: array and version (2), firstSeq and writerEpoch (9 each), the
     * predecessor (1 + 2 + 20), the record list's header (5).
     */
    static final int FIXED_BYTES = 2 + 9 + 9 + 1 + 2 + Id.BYTES + 5;

    Cluster {
        records = List.copyOf(records);
    }

    long endSeq() {
        return firstSeq + records.size();
    }

    byte[] encode() {
        int size = FIXED_BYTES;
        for (LogRecord record : records) {
            size += LogEntry.RECORD_OVERHEAD_BYTES + record.body().length;
        }
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 4, size).number(firstSeq).number(writerEpoch);
        out.optional(predecessor, id -> out.bytes(id.toBytes()));
        return out.list(records, record -> out.array(2).number(record.type()).bytes(record.body()).end())
            .end().toBytes();
    }

    static Cluster decode(byte[] plaintext) throws LogFormatException {
        return CborRecordReader.decodeCanonical(plaintext, "cluster", LogFormatException.FAILURES, in -> {
            in.beginRecord(VERSION, "cluster");
            long first = in.nonNegative("first sequence number");
            long epoch = in.nonNegative("writer epoch");
            Id predecessor = in.optional(id -> Id.of(id.exactBytes("predecessor", Id.BYTES)));
            long[] seq = {first};
            List<LogRecord> records = in.list(record -> {
                record.beginArray();
                int type = record.bounded("record type", LogEntry.MAX_TYPE);
                byte[] body = record.bytes(Integer.MAX_VALUE);
                record.endArray();
                return new LogRecord(seq[0]++, type, body);
            });
            in.endArray();
            if (records.isEmpty()) {
                throw in.malformed("a cluster holds at least one record");
            }
            return new Cluster(first, epoch, predecessor, records);
        }, Cluster::encode);
    }
}
