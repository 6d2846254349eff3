package org.epost.post.log;

/**
 * A segment of a cached view did not authenticate when first read (tampered, moved from elsewhere in the file or from
 * another view, or cut off). The view file is deleted before this is thrown, so the next open of the log rebuilds its
 * state from the DHT; the state that read it must not be used further.
 */
public final class BrokenViewException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BrokenViewException(String message, Throwable cause) {
        super(message, cause);
    }
}
