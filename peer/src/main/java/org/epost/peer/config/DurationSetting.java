package org.epost.peer.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;

/**
 * A duration key of epost.properties, written as James writes durations elsewhere ({@code 30d}, {@code 12h},
 * {@code 10m}, {@code 5s}, {@code 500ms}; a bare number is seconds). A value that does not parse stops the start with
 * the key's name rather than falling back to the default.
 */
public final class DurationSetting {
    private DurationSetting() {
    }

    /** The value of {@code key}, or {@code defaultValue} when it is absent or blank; must be more than zero. */
    public static Duration positive(Configuration properties, String key, Duration defaultValue)
            throws ConfigurationException {
        Duration value = read(properties, key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigurationException(key + " must be longer than zero");
        }
        return value;
    }

    /** As {@link #positive}, but zero is allowed. */
    public static Duration nonNegative(Configuration properties, String key, Duration defaultValue)
            throws ConfigurationException {
        return read(properties, key, defaultValue);
    }

    private static Duration read(Configuration properties, String key, Duration defaultValue)
            throws ConfigurationException {
        String raw = properties.getString(key, "").trim();
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return DurationParser.parse(raw, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " must be a duration such as 30d, 12h, 10m or 5s (a bare number is"
                + " seconds), not '" + raw + "'");
        }
    }
}
