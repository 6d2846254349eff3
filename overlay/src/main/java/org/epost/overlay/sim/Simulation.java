package org.epost.overlay.sim;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.past.store.InMemoryBlockStore;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.pastry.PastryNode;

/**
 * A whole Pastry ring in one JVM on virtual time: builds it one join at a time, routes lookups to random keys and
 * checks each reached the numerically closest live node, crashes nodes, waits for the leaf sets to repair. With
 * {@link Settings#blocks()} &gt; 0 every node also runs PAST (an in-memory store each): the blocks are inserted once
 * the ring is built, and {@link #replicasOk()} counts, from the stores, those on all of their k closest live nodes,
 * before the crash and once repair is done. One seed determines everything, so a run replays exactly: PAST runs on
 * the simulation's scheduler, and its block contents and inserting nodes come from a random stream of its own.
 */
public final class Simulation {

    /**
     * Parameters of a run.
     *
     * @param blocks content-hash blocks inserted into PAST before the first measurement; 0: no PAST on the nodes at
     *               all (the plain Pastry simulation, which is also what {@link #of} gives, for tests that register
     *               their own applications)
     * @param past   PAST's tunables, used when {@code blocks > 0}
     */
    public record Settings(int nodes, long seed, double failFraction, int lookups, PastryConfig pastry, int blocks,
                           PastConfig past) {
        /** The figure of {@code epost-sim}'s {@code --blocks} when not given. */
        public static final int DEFAULT_BLOCKS = 1000;

        public Settings {
            if (blocks < 0) {
                throw new IllegalArgumentException("negative block count: " + blocks);
            }
        }

        public static Settings of(int nodes, long seed) {
            return new Settings(nodes, seed, 0.2, 1000, simulationDefaults(), 0, pastDefaults());
        }

        public Settings withFailFraction(double value) {
            return new Settings(nodes, seed, value, lookups, pastry, blocks, past);
        }

        public Settings withLookups(int value) {
            return new Settings(nodes, seed, failFraction, value, pastry, blocks, past);
        }

        public Settings withPastry(PastryConfig value) {
            return new Settings(nodes, seed, failFraction, lookups, value, blocks, past);
        }

        public Settings withBlocks(int value) {
            return new Settings(nodes, seed, failFraction, lookups, pastry, value, past);
        }

        public Settings withPast(PastConfig value) {
            return new Settings(nodes, seed, failFraction, lookups, pastry, blocks, value);
        }
    }

    /** One simulated peer; {@code past} is null when the run has no PAST. */
    public record SimNode(PastryNode node, SimTransport transport, Endpoint lookups, Past past) {
        public Id id() {
            return node.localHandle().id();
        }
    }

    /** Pastry defaults; the simulated links (at most ~150 ms) fit well inside their timeouts. */
    public static PastryConfig simulationDefaults() {
        return PastryConfig.defaults();
    }

    /**
     * PAST's defaults (k = 3, maintenance every 10 virtual minutes and 5 s after a leaf-set change): a whole 10,000
     * node run lasts under an hour of virtual time, so each node runs only a handful of periodic rounds, and a round
     * costs messages only for the blocks the node holds.
     */
    public static PastConfig pastDefaults() {
        return PastConfig.defaults();
    }

    private static final Id MIN_ID = Id.of(new byte[Id.BYTES]);
    private static final Id MAX_ID = Id.fromBigInteger(BigInteger.ONE.shiftLeft(Id.BITS).subtract(BigInteger.ONE));
    private static final long MAX_JOIN_MILLIS = 10 * 60_000;
    private static final long INSERT_SPACING_MILLIS = 2;
    private static final long INSERT_WAIT_MILLIS = 10 * 60_000;
    private static final long LEASE_MILLIS = StoreConfig.DEFAULT_MAX_LEASE_MILLIS;
    private static final long STORE_QUOTA_BYTES = 1L << 30;
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
    /** PAST's own seeded randomness (block contents, inserting nodes): independent of the Pastry run's stream. */
    private final Random pastRandom;
    private final BlockVerifier verifier;
    private final List<ContentHashBlock> blocks = new ArrayList<>();

    public Simulation(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.network = new SimNetwork(scheduler, random.nextLong());
        this.pastRandom = new Random(settings.seed() ^ 0x9a57_b10c_5eedL);
        this.verifier = settings.blocks() > 0 ? new BlockVerifier(caKey(pastRandom.nextLong()), scheduler,
                BlockLimits.DEFAULT, 60_000) : null;
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
        Past past = null;
        if (verifier != null) {
            BlockStore store = new InMemoryBlockStore(verifier, scheduler, StoreConfig.withQuota(STORE_QUOTA_BYTES));
            past = new Past(node, store, verifier, transport.scheduler(), settings.past(),
                new Random(settings.seed() * 31 + nodes.size()));
        }
        SimNode simNode = new SimNode(node, transport, endpoint, past);
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

    /**
     * Inserts {@code count} content-hash blocks (64 to 319 random bytes each), each from a random live node, 2
     * virtual ms apart, and runs until every insert has its answer; returns how many succeeded.
     */
    public int insertBlocks(int count) {
        if (verifier == null) {
            throw new IllegalStateException("this simulation runs no PAST (blocks = 0)");
        }
        List<SimNode> live = liveNodes();
        List<CompletableFuture<InsertResult>> inserts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] content = new byte[64 + pastRandom.nextInt(256)];
            pastRandom.nextBytes(content);
            ContentHashBlock block = ContentHashBlock.of(content);
            blocks.add(block);
            SimNode source = live.get(pastRandom.nextInt(live.size()));
            inserts.add(source.past().insert(block, scheduler.now() + LEASE_MILLIS));
            scheduler.runFor(INSERT_SPACING_MILLIS);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(inserts.toArray(new CompletableFuture<?>[0]));
        scheduler.runUntil(all::isDone, scheduler.now() + INSERT_WAIT_MILLIS);
        int succeeded = 0;
        for (CompletableFuture<InsertResult> insert : inserts) {
            if (insert.isDone() && insert.join().status() == InsertResult.Status.SUCCESS) {
                succeeded++;
            }
        }
        return succeeded;
    }

    /** The blocks inserted so far. */
    public List<ContentHashBlock> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    /**
     * The fraction of inserted blocks held by each of the k live nodes numerically closest to their handle (k of
     * {@link PastConfig#replicas()}, or every live node if fewer), counted from the nodes' stores; 1.0 with no blocks.
     */
    public double replicasOk() {
        return blocks.isEmpty() ? 1.0 : (double) countReplicasOk(blocks) / blocks.size();
    }

    /** How many of {@code subset} are held by each of the k live nodes closest to their handle. */
    private int countReplicasOk(List<ContentHashBlock> subset) {
        List<SimNode> live = liveNodes();
        Id[] sorted = sortedIds(live);
        Map<Id, SimNode> byId = new HashMap<>();
        for (SimNode node : live) {
            byId.put(node.id(), node);
        }
        int k = Math.min(settings.past().replicas(), sorted.length);
        int ok = 0;
        for (ContentHashBlock block : subset) {
            boolean all = true;
            for (Id holder : closest(sorted, block.handle(), k)) {
                if (!byId.get(holder).past().store().contains(block.key())) {
                    all = false;
                    break;
                }
            }
            if (all) {
                ok++;
            }
        }
        return ok;
    }

    /**
     * The inserted blocks some live node still holds. A block whose holders all crashed at once is lost for good:
     * with k = 3 and a fraction f crashing together, about f^3 of the blocks.
     */
    public List<ContentHashBlock> survivingBlocks() {
        Set<BlockKey> held = new HashSet<>();
        for (SimNode node : liveNodes()) {
            node.past().store().forEachInRange(MIN_ID, MAX_ID, held::add);
        }
        List<ContentHashBlock> surviving = new ArrayList<>();
        for (ContentHashBlock block : blocks) {
            if (held.contains(block.key())) {
                surviving.add(block);
            }
        }
        return surviving;
    }

    /** The whole scenario: build, settle, measure, crash, repair, measure. Returns the report as ordered JSON. */
    public Map<String, Object> run() {
        buildRing();
        boolean settled = awaitLeafSetsCorrect(10 * 60_000);
        int inserted = settings.blocks() > 0 ? insertBlocks(settings.blocks()) : 0;
        double replicasBefore = replicasOk();
        Map<String, Object> before = measureLookups(settings.lookups()).toJson();
        before.put("leaf_sets_correct", settled);
        if (settings.blocks() > 0) {
            before.put("replicas_ok", replicasBefore);
            before.put("blocks_inserted", inserted);
        }

        int failed = crash(settings.failFraction());
        long crashedAt = scheduler.now();
        // Blocks whose every replica crashed cannot come back; repair is judged on the others.
        List<ContentHashBlock> surviving = settings.blocks() > 0 ? survivingBlocks() : List.of();
        // Until the leaf sets are exactly right again and (with PAST) every surviving block is back on its k closest
        // live nodes, checked every virtual second.
        long deadline = crashedAt + 30 * 60_000;
        long leafSetsAt = -1;
        long replicasAt = -1;
        while (true) {
            if (leafSetsAt < 0 && incorrectLeafSets() == 0) {
                leafSetsAt = scheduler.now();
            }
            if (replicasAt < 0 && countReplicasOk(surviving) == surviving.size()) {
                replicasAt = scheduler.now();
            }
            if ((leafSetsAt >= 0 && replicasAt >= 0) || scheduler.now() >= deadline) {
                break;
            }
            scheduler.runFor(Math.min(REPAIR_CHECK_MILLIS, deadline - scheduler.now()));
        }
        boolean repaired = leafSetsAt >= 0;
        long repairMillis = (repaired ? leafSetsAt : scheduler.now()) - crashedAt;
        double replicasAfter = replicasOk();
        double survivingOk = surviving.isEmpty() ? 1.0 : (double) countReplicasOk(surviving) / surviving.size();
        Map<String, Object> after = measureLookups(settings.lookups()).toJson();
        after.put("failed", failed);
        after.put("leaf_sets_repaired", repaired);
        after.put("repair_virtual_ms", repairMillis);
        if (settings.blocks() > 0) {
            after.put("replicas_ok", replicasAfter);
            // blocks all of whose replicas were on crashed nodes, and replicas_ok over the other blocks
            after.put("blocks_lost", blocks.size() - surviving.size());
            after.put("replicas_ok_surviving", survivingOk);
            // virtual ms from the crash until every surviving block was on its k closest live nodes again (checked
            // every second); null if that did not happen within the 30 virtual minutes waited
            after.put("replicas_restored_virtual_ms", replicasAt >= 0 ? replicasAt - crashedAt : null);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("nodes", settings.nodes());
        report.put("seed", settings.seed());
        report.put("blocks", settings.blocks());
        if (settings.blocks() > 0) {
            Map<String, Object> past = new LinkedHashMap<>();
            past.put("replicas", settings.past().replicas());
            past.put("maintenance_interval_ms", settings.past().maintenanceIntervalMillis());
            past.put("update_delay_ms", settings.past().updateDelayMillis());
            report.put("past", past);
        }
        report.put("before", before);
        report.put("after", after);
        report.put("trace_hash", network.traceHash());
        report.put("virtual_ms", scheduler.now());
        report.put("events", scheduler.executedEvents());
        report.put("messages", network.deliveredMessages());
        if (settings.blocks() > 0) {
            long pastMessages = 0;
            for (SimNode node : nodes) {
                pastMessages += node.past().messagesSent();
            }
            report.put("past_messages", pastMessages);
        }
        return report;
    }

    /** The live node numerically closest to {@code key}, given the live ids in ascending order. */
    public static Id closest(Id[] sorted, Id key) {
        int at = Arrays.binarySearch(sorted, key);
        if (at >= 0) {
            return sorted[at];
        }
        int insertion = -at - 1;
        Id above = sorted[insertion % sorted.length];
        Id below = sorted[Math.floorMod(insertion - 1, sorted.length)];
        return above.isCloserTo(key, below) ? above : below;
    }

    /**
     * The {@code k} live nodes numerically closest to {@code key} (ties by id, as Pastry's replica sets), given the
     * live ids in ascending order; {@code k} must not exceed their number.
     */
    static List<Id> closest(Id[] sorted, Id key, int k) {
        List<Id> candidates = new ArrayList<>();
        if (sorted.length <= 2 * k) {
            candidates.addAll(Arrays.asList(sorted));
        } else {
            int at = Arrays.binarySearch(sorted, key);
            int insertion = at >= 0 ? at : -at - 1;
            for (int i = insertion - k; i < insertion + k; i++) {
                candidates.add(sorted[Math.floorMod(i, sorted.length)]);
            }
        }
        candidates.sort(Comparator.<Id, Id>comparing(id -> id, key::compareDistances).thenComparing(id -> id));
        return candidates.subList(0, k);
    }

    /**
     * A CA key for a simulated ring's block verifier: only content-hash blocks are stored, but it needs one; seeded all
     * the same.
     */
    public static PublicKey caKey(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, random);
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has Ed25519 and SHA1PRNG", e);
        }
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
