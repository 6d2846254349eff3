package org.epost.post.lease;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one refresh round.
 *
 * @param retry      whether this round only retried earlier failures
 * @param startedAt  scheduler time the round started
 * @param finishedAt scheduler time its last answer arrived
 * @param newExpiry  the lease expiry the round asked for
 * @param refreshed  references whose lease now runs to {@code newExpiry} on at least one holder (every block of a part)
 * @param failed     references not refreshed, with why (e.g. no holder answered, or a part's manifest is gone)
 */
public record RefreshReport(boolean retry, long startedAt, long finishedAt, long newExpiry,
                            List<LeaseReference> refreshed, Map<LeaseReference, String> failed) {
    public RefreshReport {
        refreshed = List.copyOf(refreshed);
        failed = Map.copyOf(failed);
    }

    public int attempted() {
        return refreshed.size() + failed.size();
    }

    public boolean allRefreshed() {
        return failed.isEmpty();
    }
}
