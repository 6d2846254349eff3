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
    void tenThousandNodesRouteToTheClosestLiveNodeAndKeepPastReplicasBeforeAndAfterAFifthCrash() {
        int nodes = 10_000;
        int blocks = 1000;
        long start = System.nanoTime();
        Map<String, Object> report = new Simulation(Simulation.Settings.of(nodes, 42).withFailFraction(0.2)
                .withLookups(1000).withBlocks(blocks)).run();
        System.out.printf("10k simulation (%.1f s): %s%n", (System.nanoTime() - start) / 1e9, Json.write(report));

        double hopBound = Math.log(nodes) / Math.log(16) + 0.5;
        Map<String, Object> before = (Map<String, Object>) report.get("before");
        Map<String, Object> after = (Map<String, Object>) report.get("after");
        assertThat(before.get("leaf_sets_correct")).isEqualTo(true);
        assertThat(before.get("delivered_to_closest")).isEqualTo(1.0);
        assertThat((double) before.get("mean_hops")).isLessThanOrEqualTo(hopBound);
        assertThat(report.get("blocks")).isEqualTo(blocks);
        assertThat(before.get("blocks_inserted")).isEqualTo(blocks);
        assertThat(before.get("replicas_ok")).isEqualTo(1.0);

        assertThat(after.get("failed")).isEqualTo(2000);
        assertThat(after.get("leaf_sets_repaired")).isEqualTo(true);
        assertThat(after.get("delivered_to_closest")).isEqualTo(1.0);
        assertThat((double) after.get("mean_hops")).isLessThanOrEqualTo(hopBound);
        // A block whose k = 3 holders all crash at once is gone (about 0.2^3 = 0.8% of them): every other block is
        // back on its 3 closest live nodes, so replicas_ok is exactly the fraction that kept a replica.
        int lost = (int) after.get("blocks_lost");
        assertThat(lost).isLessThanOrEqualTo(blocks / 50);
        assertThat(after.get("replicas_ok_surviving")).isEqualTo(1.0);
        assertThat(after.get("replicas_ok")).isEqualTo((double) (blocks - lost) / blocks);
        assertThat(after.get("replicas_restored_virtual_ms")).isNotNull();
        assertThat((String) report.get("trace_hash")).hasSize(64);
    }

    @Test
    void theSameSeedReplaysExactlyAndAnotherSeedDoesNot() {
        // PAST included; the 10,000-node run is too long to repeat here, the code paths are the same.
        Simulation.Settings settings = Simulation.Settings.of(500, 7).withLookups(200).withBlocks(300);
        Map<String, Object> first = new Simulation(settings).run();
        Map<String, Object> again = new Simulation(settings).run();
        Map<String, Object> other = new Simulation(Simulation.Settings.of(500, 8).withLookups(200).withBlocks(300))
                .run();
        assertThat(((Map<?, ?>) first.get("before")).get("replicas_ok")).isEqualTo(1.0);
        assertThat(((Map<?, ?>) first.get("after")).get("replicas_ok_surviving")).isEqualTo(1.0);
        assertThat(Json.write(again)).isEqualTo(Json.write(first));
        assertThat(other.get("trace_hash")).isNotEqualTo(first.get("trace_hash"));
        assertThat(Json.write(other)).isNotEqualTo(Json.write(first));
    }

    @Test
    void withoutBlocksThereIsNoPast() {
        Simulation simulation = new Simulation(Simulation.Settings.of(20, 5).withLookups(10));
        Map<String, Object> report = simulation.run();
        assertThat(report.get("blocks")).isEqualTo(0);
        assertThat(((Map<?, ?>) report.get("before")).containsKey("replicas_ok")).isFalse();
        assertThat(((Map<?, ?>) report.get("after")).containsKey("replicas_ok")).isFalse();
        assertThat(simulation.nodes()).allSatisfy(node -> assertThat(node.past()).isNull());
    }

    @Test
    void theKClosestAreFoundOnBothSidesAndAcrossZero() {
        // 0x32: 0x30 (2 away), 0x50 (0x1e), 0x10 (0x22); 0x02: 0xf8 (0x0a across zero), 0x10 (0x0e), 0xf0 (0x12)
        Id[] sorted = {Id.fromHex("10" + "0".repeat(38)), Id.fromHex("30" + "0".repeat(38)),
                Id.fromHex("50" + "0".repeat(38)), Id.fromHex("80" + "0".repeat(38)),
                Id.fromHex("c0" + "0".repeat(38)), Id.fromHex("f0" + "0".repeat(38)),
                Id.fromHex("f8" + "0".repeat(38))};
        assertThat(Simulation.closest(sorted, Id.fromHex("32" + "0".repeat(38)), 3))
                .containsExactly(sorted[1], sorted[2], sorted[0]);
        assertThat(Simulation.closest(sorted, Id.fromHex("02" + "0".repeat(38)), 3))
                .containsExactly(sorted[6], sorted[0], sorted[5]);
        assertThat(Simulation.closest(sorted, Id.fromHex("f9" + "0".repeat(38)), 2))
                .containsExactly(sorted[6], sorted[5]);
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
