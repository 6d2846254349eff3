package org.epost.post.log;

import java.security.MessageDigest;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.Hashes;

/**
 * A running hash over every record of a log: {@code d(0) = 32 zero bytes}, {@code d(n+1) = SHA-256(d(n) || R)} where
 * R is the record in canonical CBOR, {@code [version 1, seq: uint, type: uint16, body: bstr]}. The signed head carries {@code d(recordCount)}, snapshots and the local cache carry the
 * digest at their own count, so a view rebuilt from a snapshot or a cache plus the tail is checked against the
 * owner's signature: a cache from another history, or a snapshot that does not match its records, cannot go unnoticed.
 */
final class LogDigest {
    static final int BYTES = 32;
    /** Format version of the hashed record encoding. */
    static final int VERSION = 1;

    private LogDigest() {
    }

    static byte[] initial() {
        return new byte[BYTES];
    }

    static byte[] next(byte[] previous, LogRecord record) {
        MessageDigest sha = Hashes.sha256();
        sha.update(previous);
        sha.update(encode(record));
        return sha.digest();
    }

    /** What the digest hashes of {@code record}. */
    static byte[] encode(LogRecord record) {
        return CborRecordWriter.versioned(VERSION, 3, 24 + record.body().length).number(record.seq())
            .number(record.type()).bytes(record.body()).end().toBytes();
    }
}
