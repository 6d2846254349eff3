package org.epost.overlay.past.protocol.messages;

import java.util.List;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Sent straight to a replica holder by the client of lease extensions, one per holder for a batch of them: "do you
 * hold each of these blocks until at least its {@code newExpiry}?". The holder extends each lease it can to that,
 * durably (so a holder the root never asked gets the extension here), and then answers a {@link LeaseConfirm}. The
 * client counts a holder for a lease only on that answer, never on the root's count.
 *
 * @param leases at least one, at most {@link #MAX_LEASES}
 */
public record LeaseCheck(long requestId, NodeHandle sender, List<Lease> leases) implements BulkMessage {
    /** The most leases one check carries: a batch's bytes are bounded (each lease well under 100 bytes). */
    public static final int MAX_LEASES = 512;

    public LeaseCheck {
        leases = List.copyOf(leases);
        if (leases.isEmpty() || leases.size() > MAX_LEASES) {
            throw new IllegalArgumentException("a lease check carries 1 to " + MAX_LEASES + " leases, not "
                    + leases.size());
        }
    }

    /** One lease to confirm: the block by handle and kind code, and the expiry it should now have at least. */
    public record Lease(Id handle, long kind, long newExpiry) {
    }
}
