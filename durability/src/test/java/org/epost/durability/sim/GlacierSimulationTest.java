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
        System.out.println(report);
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
}
