package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Routed to {@code handle}: the root extends the lease on its copy and has every other holder do the same. */
public record LeaseRequest(long requestId, NodeHandle client, Id handle, long kind, long newExpiry)
        implements org.epost.overlay.api.BulkMessage {
}
