package org.epost.post.log;

/** A log could not be read or written; the subclasses say why. */
public class LogException extends Exception {
    private static final long serialVersionUID = 1L;

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
