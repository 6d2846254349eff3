package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Sent straight to a replica holder: verify and store this block (insert, repair, maintenance, hand-off). */
public record StoreRequest(long requestId, NodeHandle sender, Id handle, byte[] block, long leaseExpiry)
        implements Message {
}
