package org.epost.post.log;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

import org.epost.post.crypto.Hashes;

/**
 * A running hash over every record of a log: {@code d(0) = 32 zero bytes}, {@code d(n+1) = SHA-256(d(n) || seq ||
 * type || length || body)}. The signed head carries {@code d(recordCount)}, snapshots and the local cache carry the
 * digest at their own count, so a view rebuilt from a snapshot or a cache plus the tail is checked against the
 * owner's signature: a cache from another history, or a snapshot that does not match its records, cannot go unnoticed.
 */
final class LogDigest {
    static final int BYTES = 32;

    private LogDigest() {
    }

    static byte[] initial() {
        return new byte[BYTES];
    }

    static byte[] next(byte[] previous, LogRecord record) {
        MessageDigest sha = Hashes.sha256();
        sha.update(previous);
        sha.update(ByteBuffer.allocate(14).putLong(record.seq()).putShort((short) record.type())
            .putInt(record.body().length).array());
        sha.update(record.body());
        return sha.digest();
    }
}
