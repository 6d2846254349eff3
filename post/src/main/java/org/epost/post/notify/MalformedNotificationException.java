package org.epost.post.notify;

/** Bytes that are not a canonical notification (or signed notification). */
public final class MalformedNotificationException extends Exception {
    public MalformedNotificationException(String message) {
        super(message);
    }
}
