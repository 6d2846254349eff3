package org.epost.durability.glacier.messages;

import java.util.Objects;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Send me fragment {@code index} of the object: routed to the fragment's position, answered directly. */
public record FragmentGet(long requestId, NodeHandle sender, Id objectHandle, int index) implements BulkMessage {
    public FragmentGet {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(objectHandle, "objectHandle");
    }
}
