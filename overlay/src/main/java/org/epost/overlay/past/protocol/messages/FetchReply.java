package org.epost.overlay.past.protocol.messages;

/** A holder's copy ({@code block} empty if it has no valid one) and its lease. */
public record FetchReply(long requestId, byte[] block, long leaseExpiry) implements PastReply {
}
