package org.epost.overlay.wire;

/** Bytes from the wire that are not a message of this protocol version: logged and the link dropped. */
public class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
