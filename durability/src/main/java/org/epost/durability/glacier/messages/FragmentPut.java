package org.epost.durability.glacier.messages;

import java.util.Objects;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.NodeHandle;

/**
 * Store this fragment (its canonical encoding) until {@code expiry}: routed to the fragment's position, answered
 * directly with a {@link FragmentPutReply}. Sent by an archiving node, and by a holder handing a fragment to a node
 * that joined closer to its position.
 */
public record FragmentPut(long requestId, NodeHandle sender, byte[] fragment, long expiry) implements BulkMessage {
    public FragmentPut {
        Objects.requireNonNull(sender, "sender");
        fragment = fragment.clone();
    }

    @Override
    public byte[] fragment() {
        return fragment.clone();
    }
}
