package org.epost.durability.glacier.messages;

import java.util.Objects;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.id.Id;

/**
 * Hold fragment {@code index} of the {@code n}-fragment object a little longer, until {@code expiry}: routed to the
 * fragment's position by the object's PAST root once PAST extended the block's lease, so that the fragments of a
 * block in use do not lapse with the lease of its insert. Not answered: a holder that lacks the fragment ignores it,
 * and a lost one is made good by the next extension (the lease refresh runs well before a lease ends).
 */
public record FragmentLeaseExtend(Id objectHandle, int index, int n, long expiry) implements BulkMessage {
    public FragmentLeaseExtend {
        Objects.requireNonNull(objectHandle, "objectHandle");
    }
}
