package org.epost.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.PastryConfig;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    @SuppressWarnings("unchecked")
    void tenThousandNodesRouteToTheClosestLiveNodeBeforeAndAfterAFifthCrash() {
        int nodes = 10_000;
        Map<String, Object> report = new Simulation(Simulation.Settings.of(nodes, 42).withFailFraction(0.2)
                .withLookups(1000)).run();
        System.out.println("10k simulation: " + Json.write(report));

        double hopBound = Math.log(nodes) / Math.log(16) + 0.5;
        Map<String, Object> before = (Map<String, Object>) report.get("before");
        Map<String, Object> after = (Map<String, Object>) report.get("after");
        assertThat(before.get("leaf_sets_correct")).isEqualTo(true);
        assertThat(before.get("delivered_to_closest")).isEqualTo(1.0);
        assertThat((double) before.get("mean_hops")).isLessThanOrEqualTo(hopBound);

        assertThat(after.get("failed")).isEqualTo(2000);
        assertThat(after.get("leaf_sets_repaired")).isEqualTo(true);
        assertThat(after.get("delivered_to_closest")).isEqualTo(1.0);
        assertThat((double) after.get("mean_hops")).isLessThanOrEqualTo(hopBound);
        assertThat((String) report.get("trace_hash")).hasSize(64);
    }

    @Test
    void theSameSeedReplaysExactlyAndAnotherSeedDoesNot() {
        Object first = new Simulation(Simulation.Settings.of(500, 7).withLookups(200)).run().get("trace_hash");
        Object again = new Simulation(Simulation.Settings.of(500, 7).withLookups(200)).run().get("trace_hash");
        Object other = new Simulation(Simulation.Settings.of(500, 8).withLookups(200)).run().get("trace_hash");
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void lossyLinksAndAHealedPartitionStillDeliverToTheClosestNode() {
        PastryConfig pastry = Simulation.simulationDefaults().withProbe(1_000, 5);
        Simulation simulation = new Simulation(Simulation.Settings.of(200, 3).withPastry(pastry));
        simulation.buildRing();
        assertThat(simulation.awaitLeafSetsCorrect(10 * 60_000)).isTrue();

        simulation.network().setLossRate(0.05);
        PhaseResult lossy = simulation.measureLookups(300);
        assertThat(lossy.deliveredToClosestFraction()).isEqualTo(1.0);

        List<Id> minority = new ArrayList<>();
        List<Simulation.SimNode> live = simulation.liveNodes();
        for (int i = 0; i < live.size(); i += 3) {
            minority.add(live.get(i).id());
        }
        simulation.network().partition(minority);
        simulation.scheduler().runFor(5 * 60_000);
        // each side has given up on the other: their leaf sets no longer match the whole ring
        assertThat(simulation.incorrectLeafSets()).isEqualTo(live.size());

        simulation.network().heal();
        assertThat(simulation.awaitLeafSetsCorrect(20 * 60_000)).isTrue();
        PhaseResult healed = simulation.measureLookups(300);
        assertThat(healed.deliveredToClosestFraction()).isEqualTo(1.0);
        assertThat(healed.meanHops()).isLessThanOrEqualTo(Math.log(200) / Math.log(16) + 0.5);
    }

    @Test
    void closestIsComputedAroundTheRing() {
        Id[] sorted = {Id.fromHex("30" + "0".repeat(38)), Id.fromHex("80" + "0".repeat(38)),
                Id.fromHex("f0" + "0".repeat(38))};
        // past the highest id, and below the lowest: the nearest may be across zero
        assertThat(Simulation.closest(sorted, Id.fromHex("ff" + "0".repeat(38)))).isEqualTo(sorted[2]);
        assertThat(Simulation.closest(sorted, Id.fromHex("05" + "0".repeat(38)))).isEqualTo(sorted[2]);
        assertThat(Simulation.closest(sorted, Id.fromHex("1f" + "0".repeat(38)))).isEqualTo(sorted[0]);
        assertThat(Simulation.closest(sorted, Id.fromHex("5f" + "0".repeat(38)))).isEqualTo(sorted[1]);
        assertThat(Simulation.closest(sorted, sorted[2])).isEqualTo(sorted[2]);
    }
}
