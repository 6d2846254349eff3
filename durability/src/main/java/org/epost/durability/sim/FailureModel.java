package org.epost.durability.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.epost.overlay.sim.Simulation;

/**
 * Which nodes crash at once. Uniform: a random set, the model of the binomial arithmetic. Correlated: one contiguous
 * run of nodes along the ring, starting at a random node. Real correlated failures (one software version, one site,
 * one worm) strike nodes whose ids are unrelated to the cause, which the uniform model already covers; a contiguous
 * run is the structured worst case for anything placed by key, since it takes out every node around a key at once:
 * all k = 3 replicas of every block in the run (so PAST alone loses about f of all blocks rather than f^3) and, for a
 * placement that clustered fragments, whole objects. Glacier's evenly spaced positions lose at most about f * n of
 * an object's fragments to it, so this is the harder test for PAST and the easier one for Glacier; the uniform one
 * checks the binomial tail.
 */
final class FailureModel {
    private FailureModel() {
    }

    /** Crashes the chosen nodes; returns how many. */
    static int crash(Simulation sim, double fraction, boolean correlated, Random random) {
        List<Simulation.SimNode> live = new ArrayList<>(sim.liveNodes());
        int count = (int) Math.round(fraction * live.size());
        if (correlated) {
            live.sort(Comparator.comparing(Simulation.SimNode::id));
            int start = random.nextInt(live.size());
            for (int i = 0; i < count; i++) {
                sim.network().crash(live.get((start + i) % live.size()).id());
            }
        } else {
            Collections.shuffle(live, random);
            for (Simulation.SimNode node : live.subList(0, count)) {
                sim.network().crash(node.id());
            }
        }
        return count;
    }
}
