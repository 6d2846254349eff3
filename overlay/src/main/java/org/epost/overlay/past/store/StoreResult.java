package org.epost.overlay.past.store;

import java.util.Objects;
import java.util.Optional;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.past.block.Verification;

/** The answer to a put: stored (durably), full, stale, or rejected with a reason. */
public final class StoreResult {
    public enum Status {
        /** The block is on disk (synced) with at least the lease asked for (capped by the maximum lease). */
        STORED,
        /** Storing it would exceed the quota; nothing changed. */
        FULL,
        /** A public-key block older than the stored version: no rollback; nothing changed. */
        STALE,
        /** Not stored; {@link #reason()} says why. */
        REJECTED
    }

    public static final StoreResult FULL = new StoreResult(Status.FULL, null, "", 0);
    public static final StoreResult STALE = new StoreResult(Status.STALE, null, "", 0);

    private final Status status;
    private final RejectionReason reason;
    private final String detail;
    private final long leaseExpiry;

    private StoreResult(Status status, RejectionReason reason, String detail, long leaseExpiry) {
        this.status = status;
        this.reason = reason;
        this.detail = detail;
        this.leaseExpiry = leaseExpiry;
    }

    static StoreResult stored(long leaseExpiry) {
        return new StoreResult(Status.STORED, null, "", leaseExpiry);
    }

    static StoreResult rejected(RejectionReason reason, String detail) {
        return new StoreResult(Status.REJECTED, Objects.requireNonNull(reason), detail, 0);
    }

    /** The answer to a block that failed verification. */
    static StoreResult rejected(Verification failed) {
        return rejected(failed.reason().orElseThrow(), failed.detail());
    }

    public Status status() {
        return status;
    }

    public boolean isStored() {
        return status == Status.STORED;
    }

    public Optional<RejectionReason> reason() {
        return Optional.ofNullable(reason);
    }

    public String detail() {
        return detail;
    }

    /** For STORED: the lease the entry now has (the longer of the stored and the granted one). */
    public long leaseExpiry() {
        if (status != Status.STORED) {
            throw new IllegalStateException("No lease: " + this);
        }
        return leaseExpiry;
    }

    @Override
    public String toString() {
        switch (status) {
            case STORED:
                return "STORED(lease until " + leaseExpiry + ")";
            case REJECTED:
                return "REJECTED(" + reason + ": " + detail + ")";
            default:
                return status.name();
        }
    }
}
