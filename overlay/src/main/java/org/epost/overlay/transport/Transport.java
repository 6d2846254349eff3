package org.epost.overlay.transport;

import org.epost.overlay.api.Lane;
import org.epost.overlay.api.NodeHandle;

/**
 * The links a node's state machine sends through. Implementations: Netty TCP+TLS in production, an in-memory
 * seeded network in the simulator. A transport gives no delivery guarantee; the node acknowledges what it must.
 *
 * <p>Threading contract: every {@link Listener} call is made on the node's single logical thread (the one its
 * {@code Scheduler} runs tasks on), so the state machine never needs locks. {@link #send} is only called from that
 * thread and must not block.
 */
public interface Transport {

    /** Unknown proximity: no measurement yet, or no metric at all. */
    long PROXIMITY_UNKNOWN = Long.MAX_VALUE;

    /** What the transport reports to the node. */
    interface Listener {
        /** {@code wireMessage} arrived from {@code from}. */
        void receive(NodeHandle from, Object wireMessage);

        /** A connection to {@code peer} was refused or closed: messages to it may have been lost. */
        void unreachable(NodeHandle peer);
    }

    /** The handle other nodes reach this node by. */
    NodeHandle localHandle();

    void setListener(Listener listener);

    /** Sends best-effort; loss is reported (if at all) through {@link Listener#unreachable}. */
    void send(NodeHandle to, Object wireMessage);

    /**
     * Sends best-effort in {@code lane}: a transport that queues for slow peers lets interactive messages pass
     * queued bulk ones and may refuse bulk first (dropped as a lost message would be: maintenance retries).
     */
    default void send(NodeHandle to, Object wireMessage, Lane lane) {
        send(to, wireMessage);
    }

    /**
     * A proximity metric to {@code peer}, lower is nearer (e.g. round-trip time in microseconds), or
     * {@link #PROXIMITY_UNKNOWN}.
     */
    default long proximity(NodeHandle peer) {
        return PROXIMITY_UNKNOWN;
    }
}
