package org.epost.overlay.past.protocol.messages;

/**
 * A holder's answer to a {@link HoldCheck}, sent only once its lease is durable: {@code leaseExpiry} is the lease
 * it now holds exactly the asked block under, 0 if it does not hold it (none, or another version or encoding).
 */
public record HoldConfirm(long requestId, long leaseExpiry) implements PastReply {
}
