package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Routed to {@code handle}: the first node on the path holding a valid copy answers, else the root does. */
public record LookupRequest(long requestId, NodeHandle client, Id handle, long kind) implements Message {
}
