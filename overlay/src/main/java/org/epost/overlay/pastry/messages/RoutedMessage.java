package org.epost.overlay.pastry.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * A message on its way to the node responsible for {@code key}. ({@code origin}, {@code sequence}) identifies it
 * end to end, so a copy that arrives twice (after a re-route) is delivered once.
 */
public record RoutedMessage(NodeHandle origin, long sequence, Id key, String application, Message payload, int hops) {

    public RoutedMessage withOneMoreHop() {
        return new RoutedMessage(origin, sequence, key, application, payload, hops + 1);
    }
}
