package org.epost.post.log;

/** Another writer holds (or took over) the log: this writer is refused, or stops. */
public final class LogWriterConflictException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogWriterConflictException(String message) {
        super(message);
    }
}
