package org.epost.peer.config;

import java.time.Duration;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.post.lease.LeaseConfig;

/**
 * The {@code post.lease.*} keys of epost.properties: how long the leases of this peer's blocks run and how often the
 * peer refreshes those still referenced (DESIGN.md section 4: 30-day leases refreshed every 7 days). A block survives
 * as long as one refresh in each lease period succeeds, so the interval must be well below the lease; failed
 * refreshes are retried after the retry delay.
 */
public record LeaseSettings(Duration lease, Duration refreshInterval, Duration retryDelay, int maxInFlight) {
    public static final String DURATION = "post.lease.duration";
    public static final String REFRESH_INTERVAL = "post.lease.refresh-interval";
    public static final String RETRY_DELAY = "post.lease.retry-delay";
    public static final String MAX_IN_FLIGHT = "post.lease.max-in-flight";
    public static final List<String> KEYS = List.of(DURATION, REFRESH_INTERVAL, RETRY_DELAY, MAX_IN_FLIGHT);
    /** Holders grant no longer lease than this (the PAST store's cap): asking more would only be cut. */
    static final Duration MAX_LEASE = Duration.ofMillis(StoreConfig.DEFAULT_MAX_LEASE_MILLIS);

    public static LeaseSettings defaults() {
        LeaseConfig config = LeaseConfig.defaults();
        return new LeaseSettings(Duration.ofMillis(config.leaseMillis()), Duration.ofMillis(config.refreshIntervalMillis()),
            Duration.ofMillis(config.retryDelayMillis()), config.maxInFlight());
    }

    public static LeaseSettings from(Configuration properties) throws ConfigurationException {
        LeaseSettings defaults = defaults();
        Duration lease = DurationSetting.positive(properties, DURATION, defaults.lease());
        Duration interval = DurationSetting.positive(properties, REFRESH_INTERVAL, defaults.refreshInterval());
        Duration retry = DurationSetting.positive(properties, RETRY_DELAY,
            min(defaults.retryDelay(), interval));
        int maxInFlight = properties.getInt(MAX_IN_FLIGHT, defaults.maxInFlight());
        if (lease.compareTo(MAX_LEASE) > 0) {
            throw new ConfigurationException(DURATION + " must be at most " + MAX_LEASE.toDays()
                + " days: holders grant no longer leases");
        }
        if (interval.compareTo(lease) >= 0) {
            throw new ConfigurationException(REFRESH_INTERVAL + " (" + interval + ") must be shorter than " + DURATION
                + " (" + lease + "), or blocks expire between refreshes");
        }
        if (retry.compareTo(interval) > 0) {
            throw new ConfigurationException(RETRY_DELAY + " must not be longer than " + REFRESH_INTERVAL);
        }
        if (maxInFlight < 1 || maxInFlight > 1024) {
            throw new ConfigurationException(MAX_IN_FLIGHT + " must be from 1 to 1024, not " + maxInFlight);
        }
        return new LeaseSettings(lease, interval, retry, maxInFlight);
    }

    public LeaseConfig toLeaseConfig() {
        return new LeaseConfig(lease.toMillis(), refreshInterval.toMillis(), retryDelay.toMillis(), maxInFlight);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
