package org.epost.overlay.pastry.messages;

import org.epost.overlay.wire.MessageTypes;

/** The Pastry protocol's messages under their stable wire names. Renaming one breaks compatibility between peers. */
public final class PastryMessageTypes {
    private PastryMessageTypes() {
    }

    public static MessageTypes register(MessageTypes types) {
        return types
            .register("pastry.announce", Announce.class)
            .register("pastry.direct", DirectMessage.class)
            .register("pastry.hop-ack", HopAck.class)
            .register("pastry.join-reply", JoinReply.class)
            .register("pastry.join-request", JoinRequest.class)
            .register("pastry.leaf-set-lookup", LeafSetLookup.class)
            .register("pastry.leaf-set-lookup-reply", LeafSetLookupReply.class)
            .register("pastry.leaf-set-reply", LeafSetReply.class)
            .register("pastry.leaf-set-request", LeafSetRequest.class)
            .register("pastry.probe", Probe.class)
            .register("pastry.probe-reply", ProbeReply.class)
            .register("pastry.route-hop", RouteHop.class)
            .register("pastry.routed", RoutedMessage.class)
            .register("pastry.routing-rows", RoutingRows.class)
            .register("pastry.row-request", RowRequest.class);
    }
}
