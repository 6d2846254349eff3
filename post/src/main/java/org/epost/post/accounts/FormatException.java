package org.epost.post.accounts;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;

/** Malformed, non-canonical or out-of-bounds bytes of an account structure (identity payload, key vault entry). */
final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How the shared {@link CborRecordReader} reports malformed account structures. */
    static final CanonicalCborReader.Failures<FormatException> FAILURES = (oversized, message, cause) ->
        cause == null ? new FormatException(message) : new FormatException(message, cause);

    FormatException(String message) {
        super(message);
    }

    FormatException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
