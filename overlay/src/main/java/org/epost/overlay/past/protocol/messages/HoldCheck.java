package org.epost.overlay.past.protocol.messages;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Sent straight to a replica holder by the client of an insert whose root claimed success: "do you durably hold
 * exactly this block (SHA-256 {@code digest} of its canonical encoding) until at least {@code leaseExpiry}?". A
 * holder that does extends its lease to at least that, durably, and then answers a {@link HoldConfirm}.
 */
public record HoldCheck(long requestId, NodeHandle sender, Id handle, long kind, byte[] digest, long leaseExpiry)
        implements Message {
}
