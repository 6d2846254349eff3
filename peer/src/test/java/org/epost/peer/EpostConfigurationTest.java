package org.epost.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class EpostConfigurationTest {
    private static final Path WORKING_DIRECTORY = Path.of("/srv/james");

    @Test
    void defaultsToTheHostNameAndVarEpost() throws Exception {
        EpostConfiguration configuration = EpostConfiguration.from(new BaseConfiguration(), WORKING_DIRECTORY, "mx1.example.org");

        assertThat(configuration.peerName()).isEqualTo("mx1.example.org");
        assertThat(configuration.dataDirectory()).isEqualTo(Path.of("/srv/james/var/epost"));
    }

    @Test
    void readsPeerNameAndResolvesARelativeDataDirectoryAgainstTheWorkingDirectory() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("peer.name", "peer7");
        properties.addProperty("data.dir", "state/../epost-data");

        EpostConfiguration configuration = EpostConfiguration.from(properties, WORKING_DIRECTORY, "ignored");

        assertThat(configuration.peerName()).isEqualTo("peer7");
        assertThat(configuration.dataDirectory()).isEqualTo(Path.of("/srv/james/epost-data"));
    }

    @Test
    void keepsAnAbsoluteDataDirectory() throws Exception {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("data.dir", "/data/epost");

        assertThat(EpostConfiguration.from(properties, WORKING_DIRECTORY, "p").dataDirectory()).isEqualTo(Path.of("/data/epost"));
    }

    @Test
    void refusesUnknownKeysNamingThem() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("peer.nmae", "typo");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("peer.nmae")
            .hasMessageContaining("peer.name");
    }

    @Test
    void refusesAPeerNameThatIsNotAName() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("peer.name", "peer 1/../x");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("peer.name");
    }

    @Test
    void refusesAnEmptyDataDirectory() {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("data.dir", " ");

        assertThatThrownBy(() -> EpostConfiguration.from(properties, WORKING_DIRECTORY, "p"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("data.dir");
    }
}
