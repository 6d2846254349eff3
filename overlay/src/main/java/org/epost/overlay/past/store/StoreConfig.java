package org.epost.overlay.past.store;

/**
 * Limits of one node's block store.
 *
 * @param quotaBytes      how many bytes of blocks (as counted by {@link BlockStore#accountedBytes}) this node agreed
 *                        to hold; beyond it, puts answer {@link StoreResult.Status#FULL}
 * @param maxLeaseMillis  the longest lease granted, counted from now (DESIGN.md: leases default to 30 days); longer
 *                        requests are cut to it, so nobody can pin space on a node forever
 * @param clockSkewMillis how far peers' clocks may differ: an entry is only collected this long after its lease ends
 */
public record StoreConfig(long quotaBytes, long maxLeaseMillis, long clockSkewMillis) {
    public static final long DAY_MILLIS = 86_400_000L;
    public static final long DEFAULT_MAX_LEASE_MILLIS = 30 * DAY_MILLIS;
    public static final long DEFAULT_CLOCK_SKEW_MILLIS = 10 * 60_000L;

    public StoreConfig {
        if (quotaBytes < 0 || maxLeaseMillis <= 0 || clockSkewMillis < 0) {
            throw new IllegalArgumentException("Invalid store config: quota " + quotaBytes + ", max lease "
                    + maxLeaseMillis + ", skew " + clockSkewMillis);
        }
    }

    public static StoreConfig withQuota(long quotaBytes) {
        return new StoreConfig(quotaBytes, DEFAULT_MAX_LEASE_MILLIS, DEFAULT_CLOCK_SKEW_MILLIS);
    }
}
