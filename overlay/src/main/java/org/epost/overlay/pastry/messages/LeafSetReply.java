package org.epost.overlay.pastry.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/** The sender's leaf set members; sent on request, and in answer to an {@link Announce} from a new neighbour. */
public record LeafSetReply(List<NodeHandle> leafSet) {
    public LeafSetReply {
        leafSet = List.copyOf(leafSet);
    }
}
