package org.epost.overlay.past.protocol.messages;

/** The root's answer to a {@link LeaseRequest}: how many holders now hold the block under the new lease. */
public record LeaseReply(long requestId, long holders) implements PastReply, org.epost.overlay.api.BulkMessage {
}
