package org.epost.durability.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.glacier.Glacier;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.PastObjectVerifier;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.sim.Simulation;

/**
 * Glacier on a whole simulated ring: every node runs Pastry, PAST and Glacier on virtual time. The run stores
 * objects in PAST and archives them in Glacier, measures storage and steady maintenance traffic, crashes a fraction
 * of the nodes at once ({@link FailureModel}), runs until every object that kept at least m fragments has all n
 * again at the live nodes responsible for their positions, and finally reads every object from a random survivor
 * through PAST, rebuilding from fragments (and inserting into PAST again) what PAST lost. An object is lost when
 * that read fails. One seed decides everything, so a run replays exactly.
 */
public final class GlacierSimulation {
    private static final long LEASE_MILLIS = 30L * 24 * 3600_000;
    /** Audits settle into their steady period (10 min) within this after the objects are stored. */
    private static final long SETTLE_MILLIS = 10 * 60_000;
    /** Steady maintenance is measured over three audit periods. */
    private static final long STEADY_MILLIS = 30 * 60_000;
    private static final long RECOVERY_DEADLINE_MILLIS = 3 * 3600_000;
    private static final long CHECK_MILLIS = 5_000;
    /** How long after recovery the leaf sets are still watched for being exactly right. */
    private static final long LEAF_SET_WATCH_MILLIS = 10 * 60_000;
    private static final long WAIT_MILLIS = 30 * 60_000;

    private final GlacierSimSettings settings;
    private final Simulation sim;
    private final Random random;
    private final Map<Id, Glacier> glaciers = new LinkedHashMap<>();
    private final List<ContentHashBlock> objects = new ArrayList<>();
    private final FragmentCensus census;
    private final AggregationPolicy aggregation;

    public GlacierSimulation(GlacierSimSettings settings) {
        this.settings = settings;
        // blocks > 0 only switches PAST on for every node; the objects are this run's own.
        this.sim = new Simulation(Simulation.Settings.of(settings.nodes(), settings.seed()).withBlocks(1)
            .withLookups(0).withFailFraction(settings.failFraction()));
        this.random = new Random(settings.seed() ^ 0x61ac_1e45_1a11L);
        BlockVerifier verifier = new BlockVerifier(Simulation.caKey(random.nextLong()), sim.scheduler(), BlockLimits.DEFAULT,
            60_000);
        GlacierConfig config = GlacierConfig.defaults(settings.code()).withAggregation(settings.aggregation());
        this.aggregation = config.aggregation();
        sim.setNodeSetup(node -> glaciers.put(node.id(), new Glacier(node.node(), node.past(),
            new PastObjectVerifier(verifier), node.transport().scheduler(), config)));
        this.census = new FragmentCensus(sim, glaciers, settings.code());
    }

    public Simulation simulation() {
        return sim;
    }

    public Map<Id, Glacier> glaciers() {
        return glaciers;
    }

    public List<ContentHashBlock> objects() {
        return objects;
    }

    public FragmentCensus census() {
        return census;
    }

    /** Builds the ring and waits for its leaf sets. */
    public void build() {
        sim.buildRing();
        if (!sim.awaitLeafSetsCorrect(10 * 60_000)) {
            throw new IllegalStateException("leaf sets did not settle within 10 virtual minutes");
        }
    }

    /** Stores and archives the objects; returns how many were archived on every one of their n positions. */
    public int storeObjects() {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        List<CompletableFuture<Integer>> archived = new ArrayList<>();
        List<Simulation.SimNode> live = sim.liveNodes();
        Id[] liveIds = live.stream().map(Simulation.SimNode::id).sorted().toArray(Id[]::new);
        for (int i = 0; i < settings.objects(); i++) {
            int size = settings.objectBytes() - random.nextInt(Math.max(1, settings.objectBytes() / 8));
            byte[] content = new byte[size];
            random.nextBytes(content);
            ContentHashBlock block = ContentHashBlock.of(content);
            objects.add(block);
            Simulation.SimNode source = live.get(random.nextInt(live.size()));
            long expiry = sim.scheduler().now() + LEASE_MILLIS;
            CompletableFuture<InsertResult> inserted = source.past().insert(block, expiry);
            pending.add(inserted);
            if (aggregation.aggregates(block.encoded().length)) {
                // As PAST's archive hook does on peers: a small block goes into its root's aggregate.
                glaciers.get(Simulation.closest(liveIds, block.handle())).replicated(block.handle(), block.kind(),
                    block.encoded(), expiry);
            } else {
                CompletableFuture<Integer> stored = glaciers.get(source.id()).archive(block.handle(),
                    block.kind().code(), block.encoded(), expiry);
                pending.add(stored);
                archived.add(stored);
            }
            sim.scheduler().runFor(20);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        sim.scheduler().runUntil(all::isDone, sim.scheduler().now() + WAIT_MILLIS);
        // Aggregates not yet full are coded after the flush delay; their pointers follow.
        sim.scheduler().runFor(aggregation.flushAfterMillis() + 60_000);
        return (int) archived.stream().filter(f -> f.isDone() && f.join() == settings.code().n()).count();
    }

    /** The objects Glacier coded: the blocks archived alone and the aggregates (every object some node holds). */
    private List<Id> archivedObjects() {
        return new ArrayList<>(census.survivingFragments().keySet());
    }

    /** The whole scenario; the report as ordered JSON fields. */
    public Map<String, Object> run() {
        build();
        int archivedFully = storeObjects();
        long uniqueBytes = objects.stream().mapToLong(block -> block.encoded().length).sum();
        long pastBytes = census.pastBytes();
        long fragmentBytes = census.fragmentBytes();
        long pointerBytes = census.pointerBytes();
        List<Id> coded = archivedObjects();
        sim.scheduler().runFor(SETTLE_MILLIS);
        long maintenanceBefore = census.maintenanceMessages();
        long steadyFrom = sim.scheduler().now();
        sim.scheduler().runFor(STEADY_MILLIS);
        double steadyPerNodeMin = (census.maintenanceMessages() - maintenanceBefore)
            / (double) sim.liveNodes().size() / ((sim.scheduler().now() - steadyFrom) / 60_000.0);
        int fullBefore = census.fullyRedundantObjects(coded);

        int failed = FailureModel.crash(sim, settings.failFraction(), settings.correlated(), random);
        long crashedAt = sim.scheduler().now();
        long maintenanceAtCrash = census.maintenanceMessages();
        List<Id> recoverable = new ArrayList<>();
        int withoutReplicas = 0;
        Map<Id, BitSet> surviving = census.survivingFragments();
        int minSurviving = Integer.MAX_VALUE;
        for (Id object : coded) {
            int count = surviving.getOrDefault(object, new BitSet()).cardinality();
            minSurviving = Math.min(minSurviving, count);
            if (count >= settings.code().m()) {
                recoverable.add(object);
            }
        }
        for (ContentHashBlock block : objects) {
            if (!census.anyReplica(block)) {
                withoutReplicas++;
            }
        }
        long recoveredAt = -1;
        long leafSetsAt = -1;
        long repairMessages = 0;
        while (sim.scheduler().now() - crashedAt < RECOVERY_DEADLINE_MILLIS) {
            if (leafSetsAt < 0 && sim.incorrectLeafSets() == 0) {
                leafSetsAt = sim.scheduler().now();
            }
            if (recoveredAt < 0) {
                int full = census.fullyRedundantObjects(recoverable);
                long since = sim.scheduler().now() - crashedAt;
                if (Boolean.getBoolean("glacier.sim.trace") && since % 60_000 < CHECK_MILLIS) {
                    System.err.println("t+" + since / 1000 + "s fully redundant " + full
                        + "/" + recoverable.size() + " regenerated " + census.regenerated() + " missing at (holder=["
                        + "missing, believed responsible]) " + census.missingByHolder(recoverable).entrySet().stream()
                        .sorted((a, b) -> b.getValue()[0] - a.getValue()[0]).limit(4)
                        .map(e -> e.getKey() + "=" + Arrays.toString(e.getValue()) + " "
                            + census.repairState(e.getKey()))
                        .toList());
                }
                if (full == recoverable.size()) {
                    recoveredAt = sim.scheduler().now();
                    repairMessages = census.maintenanceMessages() - maintenanceAtCrash;
                }
            }
            // Glacier can be whole again before every leaf set is exactly right: keep watching the leaf sets a while
            // so the report says when they were (or that they were not)
            if (recoveredAt >= 0 && (leafSetsAt >= 0 || sim.scheduler().now() - recoveredAt >= LEAF_SET_WATCH_MILLIS)) {
                break;
            }
            sim.scheduler().runFor(CHECK_MILLIS);
        }
        if (recoveredAt < 0) {
            repairMessages = census.maintenanceMessages() - maintenanceAtCrash;
        }
        int incorrectLeafSetsAtEnd = sim.incorrectLeafSets();
        int lost = readAll();

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("nodes", settings.nodes());
        report.put("seed", settings.seed());
        report.put("fail", settings.failFraction());
        report.put("correlated", settings.correlated());
        report.put("n", settings.code().n());
        report.put("m", settings.code().m());
        report.put("loss_probability", settings.code().lossProbability());
        report.put("objects", objects.size());
        report.put("object_bytes", settings.objectBytes());
        report.put("aggregate_below", settings.aggregateBelow());
        report.put("objects_archived_fully", archivedFully);
        report.put("objects_fully_redundant_before", fullBefore);
        report.put("aggregates", glaciers.values().stream().mapToLong(Glacier::aggregatesArchived).sum());
        report.put("storage_ratio", round((pastBytes + fragmentBytes + pointerBytes) / (double) uniqueBytes));
        report.put("fragment_ratio", round(fragmentBytes / (double) uniqueBytes));
        report.put("pointer_ratio", round(pointerBytes / (double) uniqueBytes));
        report.put("replica_ratio", round(pastBytes / (double) uniqueBytes));
        report.put("maintenance_msgs_per_node_min", round(steadyPerNodeMin));
        report.put("failed", failed);
        report.put("objects_without_replicas", withoutReplicas);
        report.put("min_surviving_fragments", objects.isEmpty() ? null : minSurviving);
        // coded objects (blocks coded alone, and aggregates of small blocks) that kept fewer than m fragments
        report.put("objects_below_m", coded.size() - recoverable.size());
        // virtual ms from the crash until every object that kept m fragments had all n at their responsible live
        // nodes again (checked every 5 s; null: not within 3 virtual hours), and until the leaf sets were right
        report.put("recovery_ms", recoveredAt >= 0 ? recoveredAt - crashedAt : null);
        report.put("leaf_sets_repaired_ms", leafSetsAt >= 0 ? leafSetsAt - crashedAt : null);
        report.put("leaf_sets_incorrect_at_end", incorrectLeafSetsAtEnd);
        report.put("repair_msgs_per_node", round(repairMessages / (double) sim.liveNodes().size()));
        report.put("fragments_regenerated", census.regenerated());
        report.put("forged_fragments", census.forged());
        report.put("rebuilds_failed", census.rebuildsFailed());
        report.put("objects_read_through_aggregates", glaciers.values().stream().mapToLong(Glacier::membersRecovered)
            .sum());
        report.put("objects_lost", lost);
        report.put("trace_hash", sim.network().traceHash());
        report.put("virtual_ms", sim.scheduler().now());
        report.put("events", sim.scheduler().executedEvents());
        return report;
    }

    /** Reads every object from a random live node (PAST, else fragments); returns how many could not be read. */
    public int readAll() {
        List<Simulation.SimNode> live = sim.liveNodes();
        List<CompletableFuture<Optional<byte[]>>> reads = new ArrayList<>();
        for (ContentHashBlock block : objects) {
            Simulation.SimNode reader = live.get(random.nextInt(live.size()));
            reads.add(glaciers.get(reader.id()).read(block.key()));
            sim.scheduler().runFor(20);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]));
        sim.scheduler().runUntil(all::isDone, sim.scheduler().now() + WAIT_MILLIS);
        int lost = 0;
        for (int i = 0; i < objects.size(); i++) {
            CompletableFuture<Optional<byte[]>> read = reads.get(i);
            if (!read.isDone() || read.isCompletedExceptionally() || read.join().isEmpty()
                    || !Arrays.equals(read.join().get(), objects.get(i).encoded())) {
                lost++;
            }
        }
        return lost;
    }

    /** Three decimals; null for no value (no objects: no ratio), which JSON has no number for. */
    private static Double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
    }
}
