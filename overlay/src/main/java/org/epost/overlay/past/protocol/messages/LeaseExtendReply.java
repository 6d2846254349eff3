package org.epost.overlay.past.protocol.messages;

/** The lease a holder now has on the block; 0 if it holds no such block. */
public record LeaseExtendReply(long requestId, long leaseExpiry) implements PastReply, org.epost.overlay.api.BulkMessage {
}
