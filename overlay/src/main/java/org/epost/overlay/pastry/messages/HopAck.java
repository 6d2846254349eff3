package org.epost.overlay.pastry.messages;

/** The next hop took responsibility for the routed message sent as {@code hopId}. */
public record HopAck(long hopId) {
}
