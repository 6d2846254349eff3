package org.epost.overlay.pastry.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/** From the node numerically closest to a joiner: its leaf set, from which the joiner builds its own. */
public record JoinReply(List<NodeHandle> leafSet) {
    public JoinReply {
        leafSet = List.copyOf(leafSet);
    }
}
