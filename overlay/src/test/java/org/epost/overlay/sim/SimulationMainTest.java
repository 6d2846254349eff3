package org.epost.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.epost.overlay.cli.CommandLines;
import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

class SimulationMainTest {

    @Test
    void parsesTheDocumentedOptions() {
        Simulation.Settings settings = SimulationMain.parse(
                new String[] {"--nodes", "50", "--seed", "9", "--fail", "0.3", "--lookups", "20", "--blocks", "70"});
        assertThat(settings.nodes()).isEqualTo(50);
        assertThat(settings.seed()).isEqualTo(9);
        assertThat(settings.failFraction()).isEqualTo(0.3);
        assertThat(settings.lookups()).isEqualTo(20);
        assertThat(settings.blocks()).isEqualTo(70);
    }

    @Test
    void storesAThousandBlocksUnlessToldOtherwise() {
        assertThat(SimulationMain.parse(new String[] {"--nodes", "5", "--seed", "1"}).blocks()).isEqualTo(1000);
        assertThat(SimulationMain.parse(new String[] {"--nodes", "5", "--seed", "1", "--blocks", "0"}).blocks())
                .isZero();
    }

    @Test
    void rejectsMissingOrBadOptions() {
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "5"}))
                .isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "x", "--seed", "1"}))
                .isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "5", "--seed", "1", "--fail", "1"}))
                .isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--nodes", "5", "--seed", "1", "--blocks", "-1"}))
                .isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> SimulationMain.parse(new String[] {"--bogus", "1"}))
                .isInstanceOf(ParameterException.class);
    }

    @Test
    void theScriptsInvocationsParse() {
        // deploy/bin/epost-sim's documented line; README's figures run it with these flags
        assertThat(SimulationMain.parse("--nodes", "10000", "--seed", "42", "--fail", "0.2", "--lookups", "1000")
            .nodes()).isEqualTo(10000);
    }

    @Test
    void helpAndAnUnknownFlagEndWithTheirStatus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(CommandLines.execute(CommandLines.of(new SimulationMain()), o, e, "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--nodes=N", "--seed=S", "--fail=FRACTION",
            "--lookups=M", "--blocks=B", "default: 1000");
        assertThat(CommandLines.execute(CommandLines.of(new SimulationMain()), o, e, "--nodes", "5", "--seed", "1",
            "--bogus", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option", "'--bogus'");
        assertThat(CommandLines.execute(CommandLines.of(new SimulationMain()), o, e, "--nodes", "0", "--seed", "1"))
            .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("need nodes >= 1");
    }

    @Test
    void reportIsOneJsonObjectWithTheAgreedFields() {
        String json = Json.write(new Simulation(SimulationMain.parse(
                new String[] {"--nodes", "30", "--seed", "1", "--lookups", "50", "--blocks", "100"})).run());
        assertThat(json).startsWith("{\"nodes\":30,\"seed\":1,\"blocks\":100,\"past\":{\"replicas\":3,");
        assertThat(json).contains("\"before\":{\"mean_hops\":", "\"after\":{\"mean_hops\":", "\"failed\":6",
                "\"trace_hash\":\"");
        assertThat(json).contains("\"delivered_to_closest\":1.0", "\"replicas_ok\":1.0", "\"blocks_inserted\":100",
                "\"blocks_lost\":", "\"replicas_ok_surviving\":1.0", "\"replicas_restored_virtual_ms\":");
        assertThat(json).containsPattern("\"after\":\\{[^}]*\"replicas_ok\":");
    }
}
