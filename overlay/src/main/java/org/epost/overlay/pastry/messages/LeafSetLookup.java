package org.epost.overlay.pastry.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;

/**
 * Routed (as the payload of a {@link RoutedMessage}) to a key beyond one side of the asker's leaf set whose members
 * all died: the node the key reaches sends the asker its leaf set. {@code clockwise}: the side the asker looks for.
 */
public record LeafSetLookup(NodeHandle asker, boolean clockwise) implements Message {
}
