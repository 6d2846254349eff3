package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * The answer to a {@link ClosestRequest}: the nodes the answerer knows closest to the key, closest first (its own
 * leaf set and itself), each an id with the address to reach it. Only a claim: the asker merges several answers and
 * a link to a named node is used only if its certificate proves the id.
 *
 * <p>Bound to its answerer and its question: {@code answerer} must be the node whose authenticated link brought the
 * answer and {@code key} the key asked, or the asker refuses it (logged, counted): an answer passed on by another
 * node, or put to another request, is not taken as anyone's. {@code version} is {@link #VERSION}; the first format
 * (request id and nodes only) no longer decodes, and any other version is refused by the asker.
 */
public record ClosestReply(long version, long requestId, NodeHandle answerer, Id key, List<NodeHandle> closest)
        implements PastReply {
    /** The format of this answer; a reply of another version is refused. */
    public static final long VERSION = 2;

    public ClosestReply {
        closest = List.copyOf(closest);
    }

    /** This version's answer of {@code answerer} to request {@code requestId} about {@code key}. */
    public static ClosestReply of(long requestId, NodeHandle answerer, Id key, List<NodeHandle> closest) {
        return new ClosestReply(VERSION, requestId, answerer, key, closest);
    }
}
