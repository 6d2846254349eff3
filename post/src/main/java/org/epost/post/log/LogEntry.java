package org.epost.post.log;

import java.util.Objects;

/**
 * A record to append: a small typed header (an unsigned 16-bit {@code type} the layer above defines, e.g. insert,
 * flag change, expunge) and an opaque body. The log assigns the sequence number.
 */
public record LogEntry(int type, byte[] body) {
    public static final int MAX_TYPE = 0xFFFF;

    public LogEntry {
        Objects.requireNonNull(body, "body");
        if (type < 0 || type > MAX_TYPE) {
            throw new IllegalArgumentException("record type " + type + " is not an unsigned 16-bit value");
        }
    }

    /** Bytes this record takes in a cluster: type (2), length (4), body. */
    int encodedLength() {
        return 6 + body.length;
    }
}
