package org.epost.mailbox.model;

/**
 * Bytes that are not a record or state of this backend: malformed, non-canonical or out of bounds. An
 * {@link IllegalArgumentException}, as {@link org.epost.post.log.LogReducer#decode} requires; a log that yields one
 * is not opened (the folder fails loudly instead of losing mail).
 */
public final class RecordFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** How the shared {@link org.epost.overlay.wire.CborRecordReader} reports malformed records and states. */
    static final org.epost.overlay.wire.CanonicalCborReader.Failures<RecordFormatException> FAILURES =
        (oversized, message, cause) -> new RecordFormatException(message, cause);

    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
