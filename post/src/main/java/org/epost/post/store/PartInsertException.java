package org.epost.post.store;

import java.util.Optional;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.InsertResult;

/** A block of the part was not stored on its replicas: PAST answered FULL, TIMEOUT, REJECTED, or failed. */
public final class PartInsertException extends PartStoreException {
    private static final long serialVersionUID = 1L;
    private final InsertResult.Status status;

    public PartInsertException(Id handle, InsertResult.Status status, String detail) {
        super(handle, "insert failed: " + status + (detail.isEmpty() ? "" : ": " + detail), null);
        this.status = status;
    }

    public PartInsertException(Id handle, Throwable cause) {
        super(handle, "insert failed: " + cause, cause);
        this.status = null;
    }

    /** PAST's answer, or empty when the insert failed without one. */
    public Optional<InsertResult.Status> status() {
        return Optional.ofNullable(status);
    }
}
