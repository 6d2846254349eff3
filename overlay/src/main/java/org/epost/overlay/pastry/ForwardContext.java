package org.epost.overlay.pastry;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.messages.RoutedMessage;

/** The {@link RouteMessage} handed to {@code Application.forward}: the routed message plus a changeable next hop. */
final class ForwardContext implements RouteMessage {
    private final RoutedMessage routed;
    private NodeHandle nextHop;

    ForwardContext(RoutedMessage routed, NodeHandle nextHop) {
        this.routed = routed;
        this.nextHop = nextHop;
    }

    @Override
    public Id key() {
        return routed.key();
    }

    @Override
    public Message message() {
        return routed.payload();
    }

    @Override
    public NodeHandle origin() {
        return routed.origin();
    }

    @Override
    public int hops() {
        return routed.hops();
    }

    @Override
    public NodeHandle nextHop() {
        return nextHop;
    }

    @Override
    public void setNextHop(NodeHandle handle) {
        if (handle == null) {
            throw new IllegalArgumentException("next hop must not be null; return false from forward to drop");
        }
        this.nextHop = handle;
    }
}
