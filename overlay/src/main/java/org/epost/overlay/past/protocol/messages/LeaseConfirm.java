package org.epost.overlay.past.protocol.messages;

import java.util.List;

/**
 * A holder's answer to a {@link LeaseCheck}, sent only once its leases are durable: for each lease asked, in order,
 * the expiry it now holds that block under (0: it does not hold it). An answer of another length counts as none.
 */
public record LeaseConfirm(long requestId, List<Long> leaseExpiries) implements PastReply, org.epost.overlay.api.BulkMessage {
    public LeaseConfirm {
        leaseExpiries = List.copyOf(leaseExpiries);
        if (leaseExpiries.size() > LeaseCheck.MAX_LEASES) {
            throw new IllegalArgumentException("too many leases confirmed: " + leaseExpiries.size());
        }
    }
}
