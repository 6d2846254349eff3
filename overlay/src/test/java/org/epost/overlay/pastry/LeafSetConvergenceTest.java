package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.SimTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rings formed by nodes joining at the same time end with every leaf set exactly the true neighbours, both sides in
 * order, soon after the last join, and stay so. Seeded simulations: the nodes join within 2 s of each other, through
 * the founder or a random node already in, with the default (real) timers. Before a node pushed its leaf set to its
 * members and asked its nearest ones for theirs on every change, with leaf sets of 4, 9 of 200 ten-node rings, 7 of
 * 30 twenty-node and 11 of 15 forty-node rings still had a wrong leaf set 10 s after the last join (some for 52 s and
 * 5 minutes): joiners adjacent on the ring, each given its leaf set by its own root, learnt of each other only from the
 * gossip round; and a node pushed early out of the founder's leaf set held only far nodes, full sides that nothing
 * but the gossip round corrected.
 */
class LeafSetConvergenceTest {
    /** How long after the last join every leaf set must be right (simulated time; about a dozen round trips). */
    private static final long SETTLE_MILLIS = 10_000;
    /** How long the right leaf sets are then watched (several keep-alive and gossip rounds). */
    private static final long WATCH_MILLIS = 150_000;
    private static final int JOIN_SPREAD_MILLIS = 2_000;
    private static final long CHECK_EVERY_MILLIS = 250;

    @ParameterizedTest(name = "{0} nodes, leaf sets of {1}, {2} seeds")
    @CsvSource({"10, 4, 200", "3, 4, 40", "5, 4, 40", "20, 4, 30", "40, 4, 15", "3, 16, 40", "10, 16, 40",
        "20, 16, 15", "40, 16, 10"})
    void concurrentJoinsEndWithTheTrueNeighbours(int nodes, int leafSetSize, int seeds) {
        List<Long> wrong = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            if (!formsAndStays(seed, nodes, leafSetSize)) {
                wrong.add(seed);
            }
        }
        assertThat(wrong).as("seeds whose leaf sets were not the true neighbours").isEmpty();
    }

    private static boolean formsAndStays(long seed, int count, int leafSetSize) {
        SimScheduler scheduler = new SimScheduler();
        SimNetwork network = new SimNetwork(scheduler, seed);
        Random random = new Random(seed);
        PastryConfig config = PastryConfig.defaults().withLeafSetSize(leafSetSize);
        List<PastryNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SimTransport transport = network.addNode(Id.random(random));
            nodes.add(new PastryNode(config, transport, transport.scheduler(), new Random(random.nextLong())));
        }
        boolean throughFounder = seed % 2 == 0;
        nodes.get(0).join(null);
        for (PastryNode node : nodes.subList(1, count)) {
            scheduler.schedule(random.nextInt(JOIN_SPREAD_MILLIS), () -> {
                List<PastryNode> in = nodes.stream().filter(PastryNode::isReady).toList();
                node.join((throughFounder ? nodes.get(0) : in.get(random.nextInt(in.size()))).localHandle());
            });
        }
        TrueNeighbours truth = new TrueNeighbours(nodes, leafSetSize / 2);
        long settled = JOIN_SPREAD_MILLIS + SETTLE_MILLIS;
        while (!truth.holds()) {
            if (scheduler.now() >= settled) {
                return false;
            }
            scheduler.runFor(CHECK_EVERY_MILLIS);
        }
        long end = scheduler.now() + WATCH_MILLIS;
        while (scheduler.now() < end) {
            scheduler.runFor(CHECK_EVERY_MILLIS);
            if (!truth.holds()) {
                return false;
            }
        }
        return true;
    }

    /** Each node's true neighbours, computed once. */
    private static final class TrueNeighbours {
        private final List<PastryNode> nodes;
        private final Map<Id, List<Id>> clockwise = new HashMap<>();
        private final Map<Id, List<Id>> counterClockwise = new HashMap<>();

        TrueNeighbours(List<PastryNode> nodes, int half) {
            this.nodes = nodes;
            List<Id> ids = nodes.stream().map(node -> node.localHandle().id()).toList();
            for (Id self : ids) {
                clockwise.put(self, nearest(ids, self, half, self::clockwiseDistanceTo));
                counterClockwise.put(self, nearest(ids, self, half, id -> id.clockwiseDistanceTo(self)));
            }
        }

        /** Whether every node is ready and each side of its leaf set holds the nearest nodes that way, in order. */
        boolean holds() {
            for (PastryNode node : nodes) {
                Id self = node.localHandle().id();
                if (!node.isReady() || !ids(node.leafSet().clockwise()).equals(clockwise.get(self))
                        || !ids(node.leafSet().counterClockwise()).equals(counterClockwise.get(self))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<Id> ids(List<NodeHandle> side) {
        return side.stream().map(NodeHandle::id).toList();
    }

    private static List<Id> nearest(List<Id> ids, Id self, int half,
                                    Function<Id, BigInteger> distance) {
        return ids.stream().filter(id -> !id.equals(self)).sorted(Comparator.comparing(distance)).limit(half).toList();
    }
}
