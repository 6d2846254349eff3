package org.epost.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

/** The spam.lists.* keys: defaults, values, and values refused with the key's name. */
class SpamListSettingsTest {
    private static SpamListSettings of(String refresh, String maxBytes) throws ConfigurationException {
        BaseConfiguration properties = new BaseConfiguration();
        if (refresh != null) {
            properties.addProperty(SpamListSettings.REFRESH_INTERVAL, refresh);
        }
        if (maxBytes != null) {
            properties.addProperty(SpamListSettings.MAX_BYTES, maxBytes);
        }
        return SpamListSettings.from(properties);
    }

    @Test
    void defaultsAndValues() throws Exception {
        assertThat(of(null, null)).isEqualTo(new SpamListSettings(Duration.ofMinutes(1), 256 * 1024));
        assertThat(of("10s", "64K")).isEqualTo(new SpamListSettings(Duration.ofSeconds(10), 64 * 1024));
    }

    @Test
    void badValuesStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> of("0s", null)).hasMessageContaining(SpamListSettings.REFRESH_INTERVAL);
        assertThatThrownBy(() -> of(null, "lots")).hasMessageContaining(SpamListSettings.MAX_BYTES);
        assertThatThrownBy(() -> of(null, "2M")).hasMessageContaining("from 64 bytes to 1M");
    }

    @Test
    void theKeysAreKnownToEpostProperties() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty(SpamListSettings.REFRESH_INTERVAL, "5m");
        assertThat(EpostConfiguration.from(properties, java.nio.file.Path.of("/tmp"), "peer")).isNotNull();
    }
}
