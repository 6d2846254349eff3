package org.epost.overlay.pastry.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/** Routing-table entries of a node on a join path (the rows the joiner shares with it), flattened. */
public record RoutingRows(List<NodeHandle> entries) {
    public RoutingRows {
        entries = List.copyOf(entries);
    }
}
