package org.epost.overlay.past.protocol;

import org.epost.overlay.past.block.RejectionReason;

/**
 * A lookup found replicas but none the reader may trust: the newest valid public-key block is older than one this
 * node already returned (rollback), or two replicas equivocate at the newest version.
 */
public final class PastLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RejectionReason reason;

    public PastLookupException(RejectionReason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
