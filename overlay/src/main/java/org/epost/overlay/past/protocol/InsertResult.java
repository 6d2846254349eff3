package org.epost.overlay.past.protocol;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.api.NodeHandle;

/**
 * How an insert ended.
 *
 * @param status  the outcome
 * @param detail  why, when it failed (a rejection reason and its explanation)
 * @param holders the nodes that acknowledged durable storage (on SUCCESS: k of them, or every live node if fewer)
 */
public record InsertResult(Status status, String detail, List<NodeHandle> holders) {
    public enum Status {
        /** Durably stored on k replica holders (or on all live nodes, when there are fewer than k). */
        SUCCESS,
        /** The holders (and the nodes a root may divert to) had no room. */
        FULL,
        /** A public-key block older than the version already stored: no rollback. */
        STALE,
        /** The block does not verify, or conflicts with a stored one (equivocation, certificate conflict). */
        REJECTED,
        /** Not enough holders answered in time, after the retries. */
        TIMEOUT
    }

    public InsertResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        holders = List.copyOf(holders);
    }

    public boolean isSuccess() {
        return status == Status.SUCCESS;
    }
}
