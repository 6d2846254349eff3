package org.epost.overlay.api;

import org.epost.overlay.id.Id;

/**
 * The upcalls an overlay application (PAST, Scribe, Glacier, POST) receives. All of them run on the node's single
 * logical thread, so applications need no locks for state only they touch.
 */
public interface Application {

    /** {@code msg}, routed to {@code key}, arrived at the node responsible for the key (or was sent directly). */
    void deliver(Id key, Message msg);

    /**
     * {@code msg} was sent straight to this node ({@link Endpoint#routeDirect}) by {@code sender}, whose id the link
     * authenticated (the TLS certificate it presented; this node itself for a message it sent itself). Unlike a
     * sender named inside a message, it cannot be forged, so an application that must know who answered overrides
     * this. By default it is {@link #deliver} with the local node's id as key.
     */
    default void deliverDirect(NodeHandle sender, Id localKey, Message msg) {
        deliver(localKey, msg);
    }

    /**
     * Called on every node a routed message reaches (including the first and the last) before the overlay forwards
     * or delivers it. The application may change {@link RouteMessage#setNextHop}; returning false drops the
     * message.
     */
    default boolean forward(RouteMessage msg) {
        return true;
    }

    /** {@code handle} entered ({@code joined}) or left this node's leaf set. */
    default void update(NodeHandle handle, boolean joined) {
    }
}
