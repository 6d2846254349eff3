package org.epost.overlay.pastry.messages;

/** One hop of a routed message; the receiver answers with a {@link HopAck} carrying the same {@code hopId}. */
public record RouteHop(long hopId, RoutedMessage routed) {
}
