package org.epost.durability.glacier.messages;

import java.util.Objects;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * An audit between mirrors. The sender is responsible for a key range; shifted by {@code offset} fragment spacings
 * of an {@code n}-fragment code it is {@code [from, to)} here, and whoever holds index i + offset of an object
 * there implies that the sender should hold index i. Routed to {@code from}; the receiver answers for the part of
 * the arc it is responsible for with an {@link AuditReply}: the digest of the pairs it implies, and with
 * {@code list} the pairs themselves.
 */
public record AuditQuery(long requestId, NodeHandle sender, int n, int offset, Id from, Id to, boolean list)
        implements BulkMessage {
    public AuditQuery {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
