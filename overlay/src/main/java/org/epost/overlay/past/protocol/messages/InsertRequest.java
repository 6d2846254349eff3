package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Routed to {@code handle}: the root stores the block and has the other replica holders store it. */
public record InsertRequest(long requestId, NodeHandle client, Id handle, byte[] block, long leaseExpiry)
        implements Message {
}
