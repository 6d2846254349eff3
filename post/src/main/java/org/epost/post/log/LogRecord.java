package org.epost.post.log;

import java.util.Objects;

/** A record as read back from a log: its sequence number (0-based, gap-free), its type and its opaque body. */
public record LogRecord(long seq, int type, byte[] body) {
    public LogRecord {
        Objects.requireNonNull(body, "body");
        if (seq < 0) {
            throw new IllegalArgumentException("negative sequence number " + seq);
        }
        if (type < 0 || type > LogEntry.MAX_TYPE) {
            throw new IllegalArgumentException("record type " + type + " is not an unsigned 16-bit value");
        }
    }
}
