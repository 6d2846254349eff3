package org.epost.overlay.pastry.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/** The answer to a {@link LeafSetLookup}, sent straight to its asker: the side it asked for, and our leaf set. */
public record LeafSetLookupReply(boolean clockwise, List<NodeHandle> leafSet) {
    public LeafSetLookupReply {
        leafSet = List.copyOf(leafSet);
    }
}
