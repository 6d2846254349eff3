package org.epost.peer.config;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * A count key of epost.properties (links, jobs at once, items per minute). A value that is not a whole number, or is
 * not positive, stops the start with the key's name.
 */
final class CountSetting {
    private CountSetting() {
    }

    /** The value of {@code key}, or {@code defaultValue} when it is absent; must be more than zero. */
    static long positive(Configuration properties, String key, long defaultValue) throws ConfigurationException {
        long value;
        try {
            value = properties.getLong(key, defaultValue);
        } catch (RuntimeException e) {
            throw new ConfigurationException(key + " must be a whole number: " + e.getMessage());
        }
        if (value < 1) {
            throw new ConfigurationException(key + " must be positive, not " + value);
        }
        return value;
    }

    /** As {@link #positive(Configuration, String, long)}, at most {@code max}. */
    static int positiveInt(Configuration properties, String key, int defaultValue, int max) throws ConfigurationException {
        long value = positive(properties, key, defaultValue);
        if (value > max) {
            throw new ConfigurationException(key + " must be at most " + max + ", not " + value);
        }
        return (int) value;
    }
}
