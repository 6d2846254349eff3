package org.epost.durability.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Small objects on a whole simulated ring: aggregated by their roots, read back through their aggregates. */
class AggregationSimulationTest {

    @Test
    void smallObjectsSurviveASixtyPercentCorrelatedFailureThroughTheirAggregates() {
        GlacierSimSettings settings = GlacierSimSettings.of(200, 3).withFail(0.6, true).withObjects(600, 3000);
        GlacierSimulation simulation = new GlacierSimulation(settings);
        Map<String, Object> report = simulation.run();
        assertThat(report.get("objects")).isEqualTo(600);
        // Every object went into an aggregate: none was coded alone, and each root coded one aggregate or a few.
        assertThat(report.get("objects_archived_fully")).isEqualTo(0);
        assertThat((Long) report.get("aggregates")).isBetween(1L, 200L);
        assertThat(report.get("objects_below_m")).isEqualTo(0);
        // PAST alone loses the blocks whose three replicas sat in the failed run; they come back through aggregates.
        int withoutReplicas = (Integer) report.get("objects_without_replicas");
        assertThat(withoutReplicas).isPositive();
        assertThat((Long) report.get("objects_read_through_aggregates")).isGreaterThanOrEqualTo(withoutReplicas);
        assertThat(report.get("objects_lost")).isEqualTo(0);
        assertThat(report.get("forged_fragments")).isEqualTo(0L);
        assertThat((Double) report.get("pointer_ratio")).isPositive();
    }
}
