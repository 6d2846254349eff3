package org.epost.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A uniform 60% failure (each node fails independently) leaves, in a large ring, runs of at least L/2 consecutive
 * failed nodes: the survivors at either end of such a run lose a whole side of their leaf set, and no member they have
 * left knows the other end. Seed 4 of 1,000 nodes has such runs; before {@code LeafSetGapSearch} (and while a short
 * side was refilled from the other one, making the survivors look like a whole small ring) 16 leaf sets were still
 * wrong 10 virtual minutes later, and stayed so.
 */
class UniformMassFailureTest {

    @Test
    void survivorsAcrossARunOfFailedNodesFindEachOtherAndRouteToTheClosest() {
        Simulation simulation = new Simulation(Simulation.Settings.of(1000, 4).withFailFraction(0.6));
        simulation.buildRing();
        assertThat(simulation.awaitLeafSetsCorrect(10 * 60_000)).isTrue();

        simulation.crash(0.6);
        assertThat(longestRunOfFailedNodes(simulation)).as("the case this test is about").isGreaterThanOrEqualTo(8);
        assertThat(simulation.awaitLeafSetsCorrect(3 * 60_000)).isTrue();
        assertThat(simulation.incorrectLeafSets()).isZero();

        PhaseResult lookups = simulation.measureLookups(300);
        assertThat(lookups.delivered()).isEqualTo(300);
        assertThat(lookups.deliveredToClosestFraction()).isEqualTo(1.0);
    }

    /** The longest run of consecutive crashed nodes around the ring. */
    private static int longestRunOfFailedNodes(Simulation simulation) {
        List<Simulation.SimNode> ring = simulation.nodes().stream()
                .sorted(Comparator.comparing(Simulation.SimNode::id)).toList();
        int longest = 0;
        int run = 0;
        for (int i = 0; i < 2 * ring.size(); i++) { // twice round: a run may wrap past zero
            run = ring.get(i % ring.size()).transport().isCrashed() ? run + 1 : 0;
            longest = Math.max(longest, Math.min(run, ring.size()));
        }
        return longest;
    }
}
