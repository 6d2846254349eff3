package org.epost.overlay.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.pastry.PastryNode;

/**
 * A whole Pastry ring in one JVM on virtual time: builds it one join at a time, routes lookups to random keys and
 * checks each reached the numerically closest live node, crashes nodes, waits for the leaf sets to repair. One seed
 * determines everything, so a run replays exactly.
 */
public final class Simulation {

    /** Parameters of a run. */
    public record Settings(int nodes, long seed, double failFraction, int lookups, PastryConfig pastry) {
        public static Settings of(int nodes, long seed) {
            return new Settings(nodes, seed, 0.2, 1000, simulationDefaults());
        }

        public Settings withFailFraction(double value) {
            return new Settings(nodes, seed, value, lookups, pastry);
        }

        public Settings withLookups(int value) {
            return new Settings(nodes, seed, failFraction, value, pastry);
        }

        public Settings withPastry(PastryConfig value) {
            return new Settings(nodes, seed, failFraction, lookups, value);
        }
    }

    /** One simulated peer. */
    public record SimNode(PastryNode node, SimTransport transport, Endpoint lookups) {
        public Id id() {
            return node.localHandle().id();
        }
    }

    /** Pastry defaults; the simulated links (at most ~150 ms) fit well inside their timeouts. */
    public static PastryConfig simulationDefaults() {
        return PastryConfig.defaults();
    }

    private static final long MAX_JOIN_MILLIS = 10 * 60_000;
    private static final long LOOKUP_SPACING_MILLIS = 2;
    private static final long LOOKUP_DRAIN_MILLIS = 60_000;
    private static final long REPAIR_CHECK_MILLIS = 1_000;

    private final Settings settings;
    private final SimScheduler scheduler = new SimScheduler();
    private final SimNetwork network;
    private final Random random;
    private final List<SimNode> nodes = new ArrayList<>();
    private final LookupLog lookupLog = new LookupLog();
    private long nextLookupId;
    private Consumer<SimNode> nodeSetup = node -> { };

    public Simulation(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.network = new SimNetwork(scheduler, random.nextLong());
    }

    /**
     * Runs {@code setup} on every node created from now on, once it is built and before it joins: where tests
     * register further applications (PAST, Scribe) so that they see the node's whole life.
     */
    public void setNodeSetup(Consumer<SimNode> setup) {
        this.nodeSetup = setup;
    }

    public SimScheduler scheduler() {
        return scheduler;
    }

    public SimNetwork network() {
        return network;
    }

    /** All nodes ever created, in creation order (crashed ones included). */
    public List<SimNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * Creates the ring: each node joins through a random node already in it, and the next starts only once the
     * previous one has its state.
     */
    public void buildRing() {
        for (int i = 0; i < settings.nodes(); i++) {
            addNode();
        }
    }

    /** Adds one node through a random live node and runs until it has joined. */
    public SimNode addNode() {
        Id id = Id.random(random);
        SimTransport transport = network.addNode(id);
        PastryNode node = new PastryNode(settings.pastry(), transport, transport.scheduler(),
                new Random(random.nextLong()));
        Endpoint endpoint = node.registerApplication(LookupApplication.NAME,
                new LookupApplication(id, lookupLog, network));
        List<SimNode> live = liveNodes();
        NodeHandle bootstrap = live.isEmpty() ? null : live.get(random.nextInt(live.size())).node().localHandle();
        SimNode simNode = new SimNode(node, transport, endpoint);
        nodes.add(simNode);
        nodeSetup.accept(simNode);
        node.join(bootstrap);
        if (!scheduler.runUntil(node::isReady, scheduler.now() + MAX_JOIN_MILLIS)) {
            throw new IllegalStateException(node + " did not join within " + MAX_JOIN_MILLIS + " virtual ms");
        }
        return simNode;
    }

    public List<SimNode> liveNodes() {
        List<SimNode> live = new ArrayList<>();
        for (SimNode node : nodes) {
            if (!node.transport().isCrashed() && node.node().isReady()) {
                live.add(node);
            }
        }
        return live;
    }

    /** Runs virtual time until every live node's leaf set is exactly right, or {@code maxMillis} pass. */
    public boolean awaitLeafSetsCorrect(long maxMillis) {
        long deadline = scheduler.now() + maxMillis;
        while (true) {
            if (incorrectLeafSets() == 0) {
                return true;
            }
            if (scheduler.now() >= deadline) {
                return false;
            }
            scheduler.runFor(Math.min(REPAIR_CHECK_MILLIS, deadline - scheduler.now()));
        }
    }

    /** How many live nodes have a leaf set that differs from the true L/2 nearest live nodes on each side. */
    public int incorrectLeafSets() {
        List<SimNode> live = liveNodes();
        Id[] sorted = sortedIds(live);
        int half = settings.pastry().halfLeafSetSize();
        int perSide = Math.min(half, sorted.length - 1);
        int incorrect = 0;
        for (SimNode node : live) {
            int at = Arrays.binarySearch(sorted, node.id());
            List<NodeHandle> cw = node.node().leafSet().clockwise();
            List<NodeHandle> ccw = node.node().leafSet().counterClockwise();
            boolean ok = cw.size() == perSide && ccw.size() == perSide;
            for (int i = 0; ok && i < perSide; i++) {
                ok = cw.get(i).id().equals(sorted[(at + 1 + i) % sorted.length])
                        && ccw.get(i).id().equals(sorted[Math.floorMod(at - 1 - i, sorted.length)]);
            }
            if (!ok) {
                incorrect++;
            }
        }
        return incorrect;
    }

    /**
     * Routes {@code count} lookups for random keys from random live nodes, lets them finish, and checks each
     * against the numerically closest live node.
     */
    public PhaseResult measureLookups(int count) {
        List<SimNode> live = liveNodes();
        Id[] sorted = sortedIds(live);
        long first = nextLookupId;
        for (int i = 0; i < count; i++) {
            SimNode source = live.get(random.nextInt(live.size()));
            Id key = Id.random(random);
            long lookupId = nextLookupId++;
            lookupLog.expect(lookupId, closest(sorted, key));
            source.lookups().route(key, new Lookup(lookupId), null);
            scheduler.runFor(LOOKUP_SPACING_MILLIS);
        }
        scheduler.runFor(LOOKUP_DRAIN_MILLIS);
        return lookupLog.summarize(first, nextLookupId);
    }

    /** Crashes {@code fraction} of the live nodes at once (chosen at random); returns how many. */
    public int crash(double fraction) {
        List<SimNode> live = new ArrayList<>(liveNodes());
        Collections.shuffle(live, random);
        int count = (int) Math.round(fraction * live.size());
        for (SimNode node : live.subList(0, count)) {
            network.crash(node.id());
        }
        return count;
    }

    /** The whole scenario: build, settle, measure, crash, repair, measure. Returns the report as ordered JSON. */
    public Map<String, Object> run() {
        buildRing();
        boolean settled = awaitLeafSetsCorrect(10 * 60_000);
        Map<String, Object> before = measureLookups(settings.lookups()).toJson();
        before.put("leaf_sets_correct", settled);

        int failed = crash(settings.failFraction());
        long crashedAt = scheduler.now();
        boolean repaired = awaitLeafSetsCorrect(30 * 60_000);
        long repairMillis = scheduler.now() - crashedAt;
        Map<String, Object> after = measureLookups(settings.lookups()).toJson();
        after.put("failed", failed);
        after.put("leaf_sets_repaired", repaired);
        after.put("repair_virtual_ms", repairMillis);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("nodes", settings.nodes());
        report.put("seed", settings.seed());
        report.put("before", before);
        report.put("after", after);
        report.put("trace_hash", network.traceHash());
        report.put("virtual_ms", scheduler.now());
        report.put("events", scheduler.executedEvents());
        report.put("messages", network.deliveredMessages());
        return report;
    }

    /** The live node numerically closest to {@code key}, given the live ids in ascending order. */
    static Id closest(Id[] sorted, Id key) {
        int at = Arrays.binarySearch(sorted, key);
        if (at >= 0) {
            return sorted[at];
        }
        int insertion = -at - 1;
        Id above = sorted[insertion % sorted.length];
        Id below = sorted[Math.floorMod(insertion - 1, sorted.length)];
        return above.isCloserTo(key, below) ? above : below;
    }

    private static Id[] sortedIds(List<SimNode> live) {
        Id[] ids = new Id[live.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = live.get(i).id();
        }
        Arrays.sort(ids);
        return ids;
    }
}
