package org.epost.post.log;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.id.Id;

/**
 * A cluster: up to M consecutive records in one content-hash block, pointing back at the cluster before it.
 *
 * <p>Plaintext layout (then sealed by {@link LogCipher} as a CLUSTER block): {@code firstSeq u64 | writerEpoch u64 |
 * predecessor (u8 presence + 20-byte handle) | count u32 | count x (type u16 | length u32 | body)}.
 * Record i of the cluster has sequence number firstSeq + i. Only the newest cluster of a log may be partial; a writer
 * extends it by storing a new block with the same firstSeq and predecessor (the superseded one is never referenced
 * again and expires with its lease).
 */
record Cluster(long firstSeq, long writerEpoch, Id predecessor, List<LogRecord> records) {
    static final int FIXED_BYTES = 8 + 8 + 21 + 4;

    Cluster {
        records = List.copyOf(records);
    }

    long endSeq() {
        return firstSeq + records.size();
    }

    byte[] encode() {
        int size = FIXED_BYTES;
        for (LogRecord record : records) {
            size += 6 + record.body().length;
        }
        Bin.Writer out = new Bin.Writer(size).u64(firstSeq).u64(writerEpoch).optionalId(predecessor).u32(records.size());
        for (LogRecord record : records) {
            out.u16(record.type()).u32(record.body().length).raw(record.body());
        }
        return out.toBytes();
    }

    static Cluster decode(byte[] plaintext) throws Bin.FormatException {
        Bin.Reader in = new Bin.Reader(plaintext);
        long first = in.nonNegative64("first sequence number");
        long epoch = in.nonNegative64("writer epoch");
        Id predecessor = in.optionalId();
        long count = in.u32();
        if (count == 0 || count > in.remaining() / 6) {
            throw new Bin.FormatException("bad record count " + count);
        }
        List<LogRecord> records = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            int type = in.u16();
            records.add(new LogRecord(first + i, type, in.raw(in.u32())));
        }
        in.end();
        return new Cluster(first, epoch, predecessor, records);
    }
}
