package org.epost.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimulationMainTest {

    @Test
    void parsesTheDocumentedOptions() {
        Simulation.Settings settings = SimulationMain.parse(
                new String[] {"--nodes", "50", "--seed", "9", "--fail", "0.3", "--lookups", "20"});
        assertThat(settings.nodes()).isEqualTo(50);
        assertThat(settings.seed()).isEqualTo(9);
        assertThat(settings.failFraction()).isEqualTo(0.3);
        assertThat(settings.lookups()).isEqualTo(20);
    }

    @Test
    void rejectsMissingOrBadOptions() {
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "5"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "x", "--seed", "1"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "5", "--seed", "1", "--fail", "1"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--bogus", "1"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportIsOneJsonObjectWithTheAgreedFields() {
        String json = Json.write(new Simulation(Simulation.Settings.of(30, 1).withLookups(50)).run());
        assertThat(json).startsWith("{\"nodes\":30,\"seed\":1,\"before\":{\"mean_hops\":");
        assertThat(json).contains("\"after\":{\"mean_hops\":", "\"failed\":6", "\"trace_hash\":\"");
        assertThat(json).contains("\"delivered_to_closest\":1.0");
    }
}
