package org.epost.overlay.api;

import org.epost.overlay.id.Id;

/**
 * A message on its way to a key, as an application sees it in {@link Application#forward}: the application may
 * read it, pick another next hop, or (by returning false from forward) drop it.
 */
public interface RouteMessage {
    Id key();

    Message message();

    /** The node that first routed the message. */
    NodeHandle origin();

    /** Network hops the message has travelled so far. */
    int hops();

    /** Where the overlay intends to send it next; equal to the local handle when it is about to be delivered here. */
    NodeHandle nextHop();

    /** Sends the message to {@code handle} instead (the local handle: deliver here). */
    void setNextHop(NodeHandle handle);
}
