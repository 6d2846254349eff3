package org.epost.post.notify;

/** A notification that could be neither delivered nor handed to delegates, or that cannot be sent at all. */
public final class NotificationException extends Exception {
    public NotificationException(String message) {
        super(message);
    }

    public NotificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
