package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/**
 * The answer to a lookup: the responder's copy ({@code block} empty if it has none), its lease, and the replica
 * holders as the responder sees them, closest first (the first k are the replica set, any further ones are where
 * a full holder may have diverted a replica).
 */
public record LookupReply(long requestId, NodeHandle responder, byte[] block, long leaseExpiry,
                          List<NodeHandle> replicas) implements PastReply {
    public LookupReply {
        replicas = List.copyOf(replicas);
    }
}
