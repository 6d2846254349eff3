package org.epost.spam.policy;

import org.epost.overlay.wire.CanonicalCborReader;

/** Bytes that are not a spam structure of this module: malformed, non-canonical, out of bounds or another version. */
public final class SpamFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** How the shared {@link org.epost.overlay.wire.CborRecordReader} reports malformed structures. */
    public static final CanonicalCborReader.Failures<SpamFormatException> FAILURES =
        (oversized, message, cause) -> new SpamFormatException(cause == null ? message
            : message + ": " + cause.getMessage());

    public SpamFormatException(String message) {
        super(message);
    }
}
