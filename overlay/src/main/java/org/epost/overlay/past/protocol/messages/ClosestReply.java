package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/**
 * The answer to a {@link ClosestRequest}: the nodes the answerer knows closest to the key, closest first (its own
 * leaf set and itself), each an id with the address to reach it. Only a claim: the asker merges several answers and
 * a link to a named node is used only if its certificate proves the id.
 */
public record ClosestReply(long requestId, List<NodeHandle> closest) implements PastReply {
    public ClosestReply {
        closest = List.copyOf(closest);
    }
}
