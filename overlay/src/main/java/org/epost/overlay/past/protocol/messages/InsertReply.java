package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;

/**
 * The root's answer to an insert. {@code status} is an {@link org.epost.overlay.past.protocol.InsertResult.Status}
 * name; {@code holders} the nodes that acknowledged durable storage.
 */
public record InsertReply(long requestId, String status, String detail, List<NodeHandle> holders)
        implements PastReply {
    public InsertReply {
        holders = List.copyOf(holders);
    }
}
