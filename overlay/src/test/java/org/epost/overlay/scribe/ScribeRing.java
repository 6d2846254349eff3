package org.epost.overlay.scribe;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.sim.Simulation.SimNode;

/** Test harness: a simulated Pastry ring with Scribe on every node and recording clients. */
final class ScribeRing {
    /** The payload the tests publish. */
    record Note(long n) implements Message {
    }

    /** A member that counts what it receives and appends it to the ring's delivery trace. */
    final class Member implements ScribeClient {
        final int node;
        final Map<Long, Integer> received = new LinkedHashMap<>();

        Member(int node) {
            this.node = node;
        }

        @Override
        public void deliver(Id group, Message message) {
            long n = ((Note) message).n();
            received.merge(n, 1, Integer::sum);
            trace.add(simulation.scheduler().now() + " " + node + " " + n);
            simulation.network().recordEvent(nodes.get(node).id(), group, "scribe-deliver");
        }

        int count(long n) {
            return received.getOrDefault(n, 0);
        }
    }

    static final ScribeConfig CONFIG = ScribeConfig.defaults().withHeartbeat(1_000, 3_000).withJoinRetryMillis(2_000);

    final Simulation simulation;
    final List<SimNode> nodes;
    final List<Scribe> scribes = new ArrayList<>();
    final List<String> trace = new ArrayList<>();

    ScribeRing(int size, long seed) {
        this(size, seed, CONFIG);
    }

    ScribeRing(int size, long seed, ScribeConfig config) {
        simulation = new Simulation(Simulation.Settings.of(size, seed));
        simulation.buildRing();
        if (!simulation.awaitLeafSetsCorrect(10 * 60_000)) {
            throw new IllegalStateException("ring did not settle");
        }
        nodes = simulation.nodes();
        for (SimNode node : nodes) {
            scribes.add(new Scribe(node.node(), node.transport().scheduler(), config));
        }
    }

    void run(long millis) {
        simulation.scheduler().runFor(millis);
    }

    long now() {
        return simulation.scheduler().now();
    }

    boolean isLive(int node) {
        return !nodes.get(node).transport().isCrashed();
    }

    void crash(int node) {
        simulation.network().crash(nodes.get(node).id());
    }

    int indexOf(NodeHandle handle) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).node().localHandle().equals(handle)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node " + handle);
    }

    /** The live node numerically closest to {@code key}: the rightful root. */
    int responsibleFor(Id key) {
        int best = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (isLive(i) && (best < 0 || nodes.get(i).id().isCloserTo(key, nodes.get(best).id()))) {
                best = i;
            }
        }
        return best;
    }

    Optional<GroupView> view(int node, Id group) {
        return scribes.get(node).view(group);
    }

    /** Live nodes holding state for {@code group}. */
    List<Integer> treeNodes(Id group) {
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (isLive(i) && view(i, group).isPresent()) {
                in.add(i);
            }
        }
        return in;
    }

    /**
     * Edges from {@code node} up to the rightful root, following parents that are live and hold {@code node} as a
     * child; -1 when the chain is broken, loops, or ends anywhere but at the rightful root.
     */
    int depthToRoot(int node, Id group) {
        int root = responsibleFor(group);
        Set<Integer> visited = new HashSet<>();
        int current = node;
        int depth = 0;
        while (visited.add(current)) {
            Optional<GroupView> view = view(current, group);
            if (view.isEmpty() || view.get().joining()) {
                return -1;
            }
            NodeHandle parent = view.get().parent();
            if (parent == null) {
                return current == root && view.get().root() ? depth : -1;
            }
            int up = indexOf(parent);
            Optional<GroupView> parentView = isLive(up) ? view(up, group) : Optional.empty();
            if (parentView.isEmpty() || !parentView.get().children().contains(nodes.get(current).node().localHandle())) {
                return -1;
            }
            current = up;
            depth++;
        }
        return -1;
    }

    /** Sum of one counter over all live nodes. */
    long counter(String name) {
        long total = 0;
        for (Scribe scribe : scribes) {
            total += scribe.counters().getOrDefault(name, 0L);
        }
        return total;
    }
}
