package org.epost.post.lease;

/**
 * Tunables of the {@link LeaseRefresher}; times are milliseconds of its scheduler.
 *
 * @param leaseMillis           the lease every refresh grants, counted from the refresh (DESIGN.md: 30 days; holders
 *                              cap it at their maximum lease)
 * @param refreshIntervalMillis how often every reference is refreshed (DESIGN.md: every 7 days); must be shorter than
 *                              the lease, so that a failed round still leaves time to retry
 * @param retryDelayMillis      how soon references whose refresh failed are tried again (until they succeed, are no
 *                              longer referenced, or the next full round comes)
 * @param maxInFlight           lease extensions in flight at once (a part counts as one, its chunks are bounded by the
 *                              part store)
 */
public record LeaseConfig(long leaseMillis, long refreshIntervalMillis, long retryDelayMillis, int maxInFlight) {
    public static final long DAY_MILLIS = 86_400_000L;

    public LeaseConfig {
        if (leaseMillis <= 0 || refreshIntervalMillis <= 0 || retryDelayMillis <= 0) {
            throw new IllegalArgumentException("lease times must be positive");
        }
        if (refreshIntervalMillis >= leaseMillis) {
            throw new IllegalArgumentException("refresh interval " + refreshIntervalMillis
                + " ms must be shorter than the lease " + leaseMillis + " ms");
        }
        if (retryDelayMillis > refreshIntervalMillis) {
            throw new IllegalArgumentException("retry delay must not exceed the refresh interval");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
    }

    /** 30-day leases refreshed every 7 days, failures retried after an hour, 16 extensions in flight. */
    public static LeaseConfig defaults() {
        return new LeaseConfig(30 * DAY_MILLIS, 7 * DAY_MILLIS, 3_600_000L, 16);
    }

    public LeaseConfig withLeaseMillis(long value) {
        return new LeaseConfig(value, refreshIntervalMillis, retryDelayMillis, maxInFlight);
    }

    public LeaseConfig withRefreshIntervalMillis(long value) {
        return new LeaseConfig(leaseMillis, value, retryDelayMillis, maxInFlight);
    }

    public LeaseConfig withRetryDelayMillis(long value) {
        return new LeaseConfig(leaseMillis, refreshIntervalMillis, value, maxInFlight);
    }

    public LeaseConfig withMaxInFlight(int value) {
        return new LeaseConfig(leaseMillis, refreshIntervalMillis, retryDelayMillis, value);
    }
}
