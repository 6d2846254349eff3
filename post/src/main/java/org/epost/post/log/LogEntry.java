package org.epost.post.log;

import java.util.Objects;

/**
 * A record to append: a small typed header (an unsigned 16-bit {@code type} the layer above defines, e.g. insert,
 * flag change, expunge) and an opaque body. The log assigns the sequence number.
 */
public record LogEntry(int type, byte[] body) {
    public static final int MAX_TYPE = 0xFFFF;
    /** Most bytes a record adds to its body in a cluster: its array (1), the type (3), the body's header (5). */
    static final int RECORD_OVERHEAD_BYTES = 1 + 3 + 5;

    public LogEntry {
        Objects.requireNonNull(body, "body");
        if (type < 0 || type > MAX_TYPE) {
            throw new IllegalArgumentException("record type " + type + " is not an unsigned 16-bit value");
        }
    }

    /** Most bytes this record takes in a cluster: {@link #RECORD_OVERHEAD_BYTES} and the body. */
    int encodedLength() {
        return RECORD_OVERHEAD_BYTES + body.length;
    }
}
