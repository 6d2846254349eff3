package org.epost.durability.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class GlacierSimulationTest {

    private static GlacierSimSettings small(long seed, boolean correlated) {
        return GlacierSimSettings.of(500, seed).withFail(0.6, correlated).withObjects(12, 128 * 1024);
    }

    @Test
    void correlatedFailureOfSixtyPercentLosesNothingAndRecoversFullRedundancy() {
        Map<String, Object> report = new GlacierSimulation(small(1, true)).run();
        assertThat(report.get("objects")).isEqualTo(12);
        assertThat(report.get("objects_archived_fully")).isEqualTo(12);
        assertThat(report.get("objects_fully_redundant_before")).isEqualTo(12);
        assertThat(report.get("objects_below_m")).isEqualTo(0);
        assertThat(report.get("objects_lost")).isEqualTo(0);
        assertThat(report.get("recovery_ms")).isNotNull();
        // PAST alone loses every block whose three replicas sat in the failed run of nodes.
        assertThat((Integer) report.get("objects_without_replicas")).isPositive();
        assertThat((Double) report.get("storage_ratio")).isLessThan(8.5);
        assertThat((Long) report.get("fragments_regenerated")).isPositive();
        assertThat(report.get("forged_fragments")).isEqualTo(0L);
    }

    @Test
    void theSameSeedPrintsTheSameLineAndUniformFailuresAreRepairedToo() {
        GlacierSimSettings settings = GlacierSimSettings.of(160, 7).withFail(0.5, false).withObjects(6, 64 * 1024);
        Map<String, Object> first = new GlacierSimulation(settings).run();
        Map<String, Object> second = new GlacierSimulation(settings).run();
        assertThat(second).isEqualTo(first);
        assertThat(first.get("correlated")).isEqualTo(false);
        assertThat(first.get("n")).isEqualTo(40);
        assertThat(first.get("objects_lost")).isEqualTo(0);
        assertThat(first.get("recovery_ms")).isNotNull();
        Map<String, Object> otherSeed = new GlacierSimulation(
            GlacierSimSettings.of(160, 8).withFail(0.5, false).withObjects(6, 64 * 1024)).run();
        assertThat(otherSeed.get("trace_hash")).isNotEqualTo(first.get("trace_hash"));
    }

    @Test
    void mainParsesTheFlagsAndRefusesNonsense() {
        GlacierSimSettings parsed = GlacierSimulationMain.parse(new String[] {"--glacier", "--nodes", "300", "--seed",
            "4", "--fail", "0.5", "--correlated", "--objects", "7", "--object-bytes", "1000"});
        assertThat(parsed.nodes()).isEqualTo(300);
        assertThat(parsed.seed()).isEqualTo(4);
        assertThat(parsed.failFraction()).isEqualTo(0.5);
        assertThat(parsed.correlated()).isTrue();
        assertThat(parsed.objects()).isEqualTo(7);
        assertThat(parsed.objectBytes()).isEqualTo(1000);
        assertThat(parsed.code()).isEqualTo(org.epost.durability.params.GlacierParameters.forRing(300));
        assertThat(GlacierSimulationMain.parse(new String[] {"--nodes", "300", "--seed", "4"}).correlated()).isFalse();
        assertThat(GlacierSimulationMain.parse(new String[] {"--nodes", "300", "--seed", "4", "--aggregate-below", "0"})
            .aggregateBelow()).isZero();
        assertThat(GlacierSimulationMain.parse(new String[] {"--nodes", "300", "--seed", "4"}).aggregateBelow())
            .isEqualTo(GlacierSimSettings.of(300, 4).aggregateBelow());
        for (String[] bad : new String[][] {{"--nodes", "300"}, {"--nodes", "x", "--seed", "1"},
                {"--nodes", "300", "--seed", "1", "--fail", "1.0"}, {"--nodes", "300", "--seed", "1", "--bogus", "2"},
                {"--nodes", "300", "--seed"}, {"--nodes", "300", "--seed", "1", "--aggregate-below", "-1"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GlacierSimulationMain.parse(bad))
                .isInstanceOf(picocli.CommandLine.ParameterException.class);
        }
    }
}
