package org.epost.overlay.pastry.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;

/**
 * Sent by a joining node to its bootstrap node, which routes it (as the payload of a {@link RoutedMessage}) toward
 * the joiner's id. Every node on the path sends the joiner routing-table rows; the last one sends its leaf set.
 */
public record JoinRequest(NodeHandle joiner) implements Message {
}
