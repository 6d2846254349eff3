package org.epost.durability.glacier.messages;

import java.util.Objects;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Send me copy {@code index} of the aggregate pointer of {@code member}: routed to its position, answered directly. */
public record PointerGet(long requestId, NodeHandle sender, Id member, int index, int n) implements BulkMessage {
    public PointerGet {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(member, "member");
    }
}
