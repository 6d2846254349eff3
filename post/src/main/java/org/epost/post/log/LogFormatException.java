package org.epost.post.log;

import org.epost.overlay.wire.CanonicalCborReader;

/** A log block's plaintext (head payload, cluster, snapshot root, cached view) that does not decode. */
final class LogFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How the shared {@link org.epost.overlay.wire.CborRecordReader} reports malformed log structures. */
    static final CanonicalCborReader.Failures<LogFormatException> FAILURES =
        (oversized, message, cause) -> new LogFormatException(message, cause);

    LogFormatException(String message) {
        super(message);
    }

    LogFormatException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
