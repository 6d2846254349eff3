package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Sent straight to one replica holder by a reader: send me your copy of this block. */
public record FetchRequest(long requestId, NodeHandle sender, Id handle, long kind) implements Message {
}
