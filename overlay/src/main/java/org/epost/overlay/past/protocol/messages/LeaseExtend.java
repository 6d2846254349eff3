package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Sent straight to one holder by the root of a {@link LeaseRequest}. */
public record LeaseExtend(long requestId, NodeHandle sender, Id handle, long kind, long newExpiry)
        implements org.epost.overlay.api.BulkMessage {
}
