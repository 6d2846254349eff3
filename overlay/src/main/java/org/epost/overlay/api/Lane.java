package org.epost.overlay.api;

/**
 * Which queue a message waits in on a backed-up link. Interactive traffic (routing, liveness, requests a user waits
 * on and their replies) always goes before queued bulk traffic (replica repair, fragments, audits, lease
 * extensions), which gets a bounded share so it is never starved. The sender decides the lane from the type of
 * what it sends: nothing on the wire says which lane a message claims.
 */
public enum Lane {
    INTERACTIVE, BULK;

    /** The lane of {@code message} by its type: {@link #BULK} for a {@link BulkMessage}, else interactive. */
    public static Lane of(Message message) {
        return message instanceof BulkMessage ? BULK : INTERACTIVE;
    }
}
