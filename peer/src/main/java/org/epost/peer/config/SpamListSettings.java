package org.epost.peer.config;

import java.time.Duration;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.Size;

/**
 * The {@code spam.lists.*} keys of epost.properties: how often a home peer looks up again each block list its users
 * follow, and the largest published list it accepts (a larger one is rejected and logged, and cannot be published
 * from this peer).
 */
public record SpamListSettings(Duration refreshInterval, int maxBytes) {
    public static final String REFRESH_INTERVAL = "spam.lists.refresh-interval";
    public static final String MAX_BYTES = "spam.lists.max-bytes";
    public static final List<String> KEYS = List.of(REFRESH_INTERVAL, MAX_BYTES);
    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(1);
    /** 5,000 entries (a list's most) of about 50 bytes. */
    static final String DEFAULT_MAX_BYTES = "256K";
    /** A public-key block's payload is at most 1 MiB. */
    private static final long MOST_BYTES = 1 << 20;

    public static SpamListSettings from(Configuration properties) throws ConfigurationException {
        Duration refresh = DurationSetting.positive(properties, REFRESH_INTERVAL, DEFAULT_REFRESH_INTERVAL);
        long bytes;
        try {
            bytes = Size.parse(properties.getString(MAX_BYTES, DEFAULT_MAX_BYTES).trim()).asBytes();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(MAX_BYTES + " must be a size such as 64K or 256K: " + e.getMessage());
        }
        if (bytes < 64 || bytes > MOST_BYTES) {
            throw new ConfigurationException(MAX_BYTES + " must be from 64 bytes to 1M, not " + bytes + " bytes");
        }
        return new SpamListSettings(refresh, (int) bytes);
    }
}
