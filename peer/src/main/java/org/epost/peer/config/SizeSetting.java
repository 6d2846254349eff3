package org.epost.peer.config;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.Size;

/**
 * A size key of epost.properties, written as James writes sizes ({@code 500M}, {@code 10G}; a bare number is bytes).
 * A value that does not parse, or is not positive, stops the start with the key's name.
 */
public final class SizeSetting {
    private SizeSetting() {
    }

    /** The value of {@code key} in bytes, or {@code defaultSize} when it is absent; must be more than zero. */
    public static long positive(Configuration properties, String key, String defaultSize) throws ConfigurationException {
        long bytes;
        try {
            bytes = Size.parse(properties.getString(key, defaultSize).trim()).asBytes();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " must be a size such as 500M or 10G: " + e.getMessage());
        }
        if (bytes <= 0) {
            throw new ConfigurationException(key + " must be positive");
        }
        return bytes;
    }
}
