package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Routed toward {@code key} by a node that cannot tell the key's replica holders itself: "who are the
 * {@code count} nodes closest to {@code key}". The first node on the route whose own leaf set proves it knows the k
 * closest answers straight to {@code client} with a {@link ClosestReply}; the request goes no further.
 */
public record ClosestRequest(long requestId, NodeHandle client, Id key, long count) implements Message {
}
