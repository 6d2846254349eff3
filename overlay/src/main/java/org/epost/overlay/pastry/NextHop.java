package org.epost.overlay.pastry;

import org.epost.overlay.api.NodeHandle;

/** The outcome of next-hop selection for one message at one node. */
public record NextHop(Kind kind, NodeHandle node) {

    public enum Kind {
        /** This node is the closest live node it knows: deliver here. */
        DELIVER_HERE,
        /** Send to {@link #node}. */
        FORWARD,
        /**
         * The right next hop is {@link #node}, but it is suspected: wait until a probe shows whether it is alive
         * (sending elsewhere could deliver to the wrong node).
         */
        AWAIT_PROBE
    }

    public static NextHop deliverHere(NodeHandle self) {
        return new NextHop(Kind.DELIVER_HERE, self);
    }

    public static NextHop forward(NodeHandle node) {
        return new NextHop(Kind.FORWARD, node);
    }

    public static NextHop awaitProbe(NodeHandle node) {
        return new NextHop(Kind.AWAIT_PROBE, node);
    }
}
