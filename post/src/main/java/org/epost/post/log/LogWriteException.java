package org.epost.post.log;

/**
 * An append did not become durable (an insert failed or timed out). The writer that threw it is closed: whether the
 * head was stored is unknown, so the caller opens a new writer, which reads the head back.
 */
public final class LogWriteException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogWriteException(String message) {
        super(message);
    }

    public LogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
