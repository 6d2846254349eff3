package org.epost.overlay.past.protocol.messages;

/**
 * A holder's answer to a {@link StoreRequest}: {@code status} is a
 * {@link org.epost.overlay.past.store.StoreResult.Status} name (STORED only once the block is durable),
 * {@code detail} the rejection reason if any, {@code leaseExpiry} the lease now held (0 unless STORED).
 */
public record StoreReply(long requestId, String status, String detail, long leaseExpiry) implements PastReply {
}
