package org.epost.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

/** The spam.puzzle.* keys: defaults, values, and values refused with the key's name. */
class PuzzleSettingsTest {
    private static PuzzleSettings of(String bits, String domains) throws ConfigurationException {
        BaseConfiguration properties = new BaseConfiguration();
        if (bits != null) {
            properties.addProperty(PuzzleSettings.BASE_BITS, bits);
        }
        if (domains != null) {
            properties.addProperty(PuzzleSettings.REFUSE_DOMAINS, domains);
        }
        return PuzzleSettings.from(properties);
    }

    @Test
    void defaultsAndValues() throws Exception {
        assertThat(of(null, null)).isEqualTo(new PuzzleSettings(0, Set.of()));
        PuzzleSettings set = of(" 3 ", "Epost.test, other.example");
        assertThat(set).isEqualTo(new PuzzleSettings(3, Set.of("epost.test", "other.example")));
        assertThat(set.refuses("bob@EPOST.test")).isTrue();
        assertThat(set.refuses("bob@sub.epost.test")).isFalse();
        assertThat(of(null, null).refuses("bob@epost.test")).isFalse();
    }

    @Test
    void badValuesStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> of("9", null)).hasMessageContaining(PuzzleSettings.BASE_BITS)
            .hasMessageContaining("from 0 to 8");
        assertThatThrownBy(() -> of("-1", null)).hasMessageContaining(PuzzleSettings.BASE_BITS);
        assertThatThrownBy(() -> of("lots", null)).hasMessageContaining(PuzzleSettings.BASE_BITS);
        assertThatThrownBy(() -> of(null, "epost.test, bad_domain!"))
            .hasMessageContaining(PuzzleSettings.REFUSE_DOMAINS).hasMessageContaining("bad_domain!");
    }

    @Test
    void theKeysAreKnownToEpostProperties() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty(PuzzleSettings.BASE_BITS, "2");
        properties.addProperty(PuzzleSettings.REFUSE_DOMAINS, "epost.test");
        assertThat(EpostConfiguration.from(properties, java.nio.file.Path.of("/tmp"), "peer")).isNotNull();
    }
}
