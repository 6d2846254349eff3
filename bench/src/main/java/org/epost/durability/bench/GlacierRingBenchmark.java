package org.epost.durability.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.durability.node.GlacierNode;
import org.epost.durability.node.GlacierProcessRing;
import org.epost.durability.params.GlacierParameters;
import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Glacier on real processes: a ring of {@link org.epost.durability.node.GlacierNodeMain} processes (real TCP + TLS,
 * fsynced RocksDB block and fragment stores) plus this JVM's node stores objects through PAST (whose roots archive
 * them); a fraction of the processes is killed with SIGKILL and their directories wiped at once; this JVM's node
 * reads every object back (PAST, falling back to rebuilding from fragments); as many fresh processes join; the run
 * waits until every object has all n fragments on live nodes again. Prints one JSON object. A benchmark, not a test.
 *
 * <pre>  GlacierRingBenchmark [--processes 10] [--objects 1000] [--size 2048] [--fail 0.6] [--code 20/4]
 *                      [--base-port 44200] [--audit-seconds 20] [--minutes 40] [--settle-minutes 5]
 *                      [--dir DIR]</pre>
 */
@Command(name = "epost-bench-glacier-ring", description = "Glacier on a ring of real node processes: a fraction"
    + " killed with their disks, every object read back, redundancy restored; prints one JSON object.")
public final class GlacierRingBenchmark implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--processes", paramLabel = "P", description = "Node processes (default: ${DEFAULT-VALUE}).")
    private int processes = 10;

    @Option(names = "--objects", paramLabel = "K", description = "Objects stored (default: ${DEFAULT-VALUE}).")
    private int objects = 1000;

    @Option(names = "--size", paramLabel = "BYTES", description = "Bytes per object (default: ${DEFAULT-VALUE}).")
    private int size = 2048;

    @Option(names = "--fail", paramLabel = "F",
        description = "Fraction of the processes killed (default: ${DEFAULT-VALUE}).")
    private double fail = 0.6;

    @Option(names = "--code", paramLabel = "N/M", description = "Erasure code (default: ${DEFAULT-VALUE}).")
    private String code = "20/4";

    @Option(names = "--base-port", paramLabel = "PORT",
        description = "First process's port (default: ${DEFAULT-VALUE}).")
    private int basePort = 44200;

    @Option(names = "--audit-seconds", paramLabel = "S",
        description = "Seconds between audits (default: ${DEFAULT-VALUE}).")
    private long auditSeconds = 20;

    @Option(names = "--minutes", paramLabel = "M", description = "Time limit of the run (default: ${DEFAULT-VALUE}).")
    private long minutes = 40;

    @Option(names = "--settle-minutes", paramLabel = "M",
        description = "Minutes full redundancy must last (default: ${DEFAULT-VALUE}).")
    private long settleMinutes = 5;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (default: a new temporary one).")
    private Path dir;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new GlacierRingBenchmark(), args));
    }

    /** The code {@code --code} and {@code --fail} give; a bad one is a usage error. */
    GlacierParameters parameters() {
        try {
            return GlacierParameters.ofCode(code, fail);
        } catch (IllegalArgumentException e) {
            throw CommandLines.invalid(spec, e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        GlacierParameters parameters = parameters();
        long auditMillis = auditSeconds * 1000;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        Path directory = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("epost-glacier-ring");

        try (GlacierProcessRing ring = new GlacierProcessRing(directory, basePort,
                List.of("--code", parameters.n() + "/" + parameters.m(), "--audit-interval", String.valueOf(auditMillis)))) {
            // The founder is the first address of everybody's list: this JVM's node.
            List<String> addresses = new ArrayList<>(List.of(ring.localAddress()));
            for (int i = 0; i < processes; i++) {
                addresses.add("127.0.0.1:" + (basePort + i));
            }
            List<GlacierProcessRing.Member> members = ring.add(processes, List.of(ring.localAddress()));
            String local = ring.localAddress();
            OverlayNodeConfig config = new OverlayNodeConfig(
                new InetSocketAddress("127.0.0.1", basePort - 1), local, addresses, PastryConfig.defaults(),
                WireFormat.DEFAULT_MAX_FRAME_BYTES, directory.resolve("local/blocks"), StoreConfig.withQuota(8L << 30),
                PastConfig.defaults());
            try (OverlayNode client = OverlayNode.start(ring.credentialsForLocalNode(), config,
                    GlacierMessageTypes.register(new MessageTypes()));
                 GlacierNode glacier = GlacierNode.start(client, directory.resolve("local/glacier"),
                     GlacierConfig.defaults(parameters).withAuditIntervalMillis(auditMillis)
                         .withAggregation(AggregationPolicy.NONE), MetricSink.NONE)) {
                client.join();
                ring.awaitRing(processes + 1, Duration.ofMinutes(5));
                log("ring of %d nodes ready", processes + 1);

                Random random = new Random(1);
                List<ContentHashBlock> data = new ArrayList<>();
                for (int i = 0; i < objects; i++) {
                    byte[] content = new byte[size];
                    random.nextBytes(content);
                    data.add(ContentHashBlock.of(content));
                }
                long lease = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
                long started = System.nanoTime();
                run(data, 8, block -> client.past().insert(block, lease).thenApply(result -> {
                    if (!result.isSuccess()) {
                        throw new IllegalStateException("insert " + result.status() + ": " + result.detail());
                    }
                    return result;
                }));
                double insertSeconds = seconds(started);
                log("%d objects inserted in %.1f s", objects, insertSeconds);
                Census archived = awaitCensus(ring, glacier, data, parameters.n(), deadline);
                double archiveSeconds = seconds(started);
                log("archived: %d of %d objects with all %d fragments after %.1f s", archived.complete, objects,
                    parameters.n(), archiveSeconds);

                // The failure: a seeded choice of processes, killed at once with their disks.
                List<GlacierProcessRing.Member> victims = new ArrayList<>(members);
                Collections.shuffle(victims, new Random(2));
                int killed = (int) Math.round(fail * processes);
                victims = victims.subList(0, killed);
                Map<String, Long> maintenanceBefore = maintenance(ring, glacier);
                long failedAt = System.nanoTime();
                for (GlacierProcessRing.Member victim : victims) {
                    ring.killAndWipe(victim);
                }
                log("killed and wiped %d of %d processes", killed, processes);
                int withoutReplica = objects - replicated(ring, client, data);
                log("%d objects have no PAST replica left", withoutReplica);

                // Every object read back through PAST, which falls back to Glacier; misses retried after a pause.
                Set<ContentHashBlock> missing = new HashSet<>(data);
                for (int pass = 0; pass < 10 && !missing.isEmpty() && System.nanoTime() < deadline; pass++) {
                    Set<ContentHashBlock> found = Collections.synchronizedSet(new HashSet<>());
                    run(new ArrayList<>(missing), 8, block -> client.past().lookup(block.key())
                        .handle((result, failure) -> failure == null ? result : Optional.<Block>empty())
                        .thenApply(result -> {
                            if (result.isPresent() && java.util.Arrays.equals(result.get().encoded(), block.encoded())) {
                                found.add(block);
                            }
                            return result;
                        }));
                    missing.removeAll(found);
                    log("read pass %d: %d objects not read yet", pass, missing.size());
                    if (!missing.isEmpty()) {
                        Thread.sleep(15_000);
                    }
                }
                double rebuildSeconds = seconds(failedAt);
                int lost = missing.size();
                log("%d objects read back, %d lost, %.1f s after the failure", objects - lost, lost, rebuildSeconds);

                // New nodes take the dead ones' places; Glacier regenerates and hands fragments over to them.
                long joinedAt = System.nanoTime();
                List<String> survivors = new ArrayList<>(List.of(local));
                ring.live().forEach(member -> survivors.add(member.address()));
                ring.add(killed, survivors);
                ring.awaitRing(processes + 1, Duration.ofMinutes(5));
                log("%d new processes joined", killed);
                Census restored = awaitCensus(ring, glacier, data, parameters.n(), deadline);
                double redundancySeconds = seconds(joinedAt);
                Map<String, Long> maintenanceAfter = maintenance(ring, glacier);
                double maintenanceMinutes = seconds(failedAt) / 60;
                // Full redundancy must last: the ring keeps auditing (steady rounds) and nothing may be lost meanwhile.
                long settleUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(settleMinutes);
                Census settled = restored;
                while (System.nanoTime() < settleUntil) {
                    Thread.sleep(30_000);
                    settled = census(ring, glacier, data, parameters.n());
                    log("  settling: %d of %d objects fully redundant (%d fragments live)", settled.complete,
                        data.size(), settled.fragments);
                }
                long survivorMaintenance = 0;
                int survivorCount = 0;
                for (Map.Entry<String, Long> entry : maintenanceBefore.entrySet()) {
                    if (maintenanceAfter.containsKey(entry.getKey())) {
                        survivorMaintenance += maintenanceAfter.get(entry.getKey()) - entry.getValue();
                        survivorCount++;
                    }
                }
                GlacierFigures own = glacier.figures().get(1, TimeUnit.MINUTES);
                System.out.println(String.format(Locale.ROOT,
                    "{\"nodes\":%d,\"objects\":%d,\"object_bytes\":%d,\"code\":\"%d/%d\",\"replicas\":3,"
                        + "\"insert_s\":%.1f,\"archived_s\":%.1f,\"killed\":%d,\"objects_without_replica\":%d,"
                        + "\"objects_read_back\":%d,\"objects_lost\":%d,\"rebuild_s\":%.1f,\"joined\":%d,"
                        + "\"objects_fully_redundant\":%d,\"redundancy_restored_s\":%.1f,"
                        + "\"maintenance_msgs_per_survivor_per_min\":%.0f,\"fragments_live\":%d,\"recoveries_by_reader\":%d,"
                        + "\"settle_min\":%s,\"objects_fully_redundant_after_settle\":%d,\"fragments_live_after_settle\":%d}",
                    processes + 1, objects, size, parameters.n(), parameters.m(), insertSeconds, archiveSeconds, killed,
                    withoutReplica, objects - lost, lost, rebuildSeconds, killed, restored.complete, redundancySeconds,
                    survivorCount == 0 ? 0 : survivorMaintenance / survivorCount / maintenanceMinutes, restored.fragments,
                    own.recoveries(), settleMinutes, settled.complete, settled.fragments));
            }
        }
        return 0;
    }

    /** How many objects have all n fragments on live nodes, and how many fragments are held. */
    private record Census(int complete, long fragments) {
    }

    private static Census census(GlacierProcessRing ring, GlacierNode glacier, List<ContentHashBlock> data, int n)
            throws Exception {
        Map<Id, Set<Integer>> held = new HashMap<>();
        long fragments = 0;
        List<String> lines = new ArrayList<>();
        for (GlacierProcessRing.Member member : ring.live()) {
            try {
                lines.addAll(member.ask("fragments", "END"));
            } catch (IllegalStateException e) {
                // A node too busy to answer (the machine is shared): this census cannot count; the next one will.
                log("  census skipped: %s", e.getMessage());
                return new Census(0, 0);
            }
        }
        for (String line : lines) {
            if (line.startsWith("FRAGMENT ")) {
                String[] parts = line.substring(9).split(":");
                held.computeIfAbsent(Id.fromHex(parts[0]), h -> new HashSet<>()).add(Integer.parseInt(parts[1]));
                fragments++;
            }
        }
        for (Map.Entry<Id, Integer> own : glacier.heldFragments().get(1, TimeUnit.MINUTES)) {
            held.computeIfAbsent(own.getKey(), h -> new HashSet<>()).add(own.getValue());
            fragments++;
        }
        int complete = 0;
        for (ContentHashBlock block : data) {
            if (held.getOrDefault(block.handle(), Set.of()).size() == n) {
                complete++;
            }
        }
        return new Census(complete, fragments);
    }

    private static Census awaitCensus(GlacierProcessRing ring, GlacierNode glacier, List<ContentHashBlock> data, int n,
                                      long deadline) throws Exception {
        Census census = census(ring, glacier, data, n);
        while (census.complete < data.size() && System.nanoTime() < deadline) {
            log("  %d of %d objects fully redundant (%d fragments live)", census.complete, data.size(), census.fragments);
            Thread.sleep(10_000);
            census = census(ring, glacier, data, n);
        }
        return census;
    }

    /** Objects of which some live node holds a PAST replica. */
    private static int replicated(GlacierProcessRing ring, OverlayNode client, List<ContentHashBlock> data)
            throws Exception {
        Set<String> held = new HashSet<>();
        for (GlacierProcessRing.Member member : ring.live()) {
            for (String line : member.ask("blocks", "END")) {
                if (line.startsWith("BLOCK ")) {
                    held.add(line.substring(6));
                }
            }
        }
        client.past().store().forEachInRange(Id.fromHex("0".repeat(40)), Id.fromHex("f".repeat(40)),
            key -> held.add(key.handle().toHex()));
        return (int) data.stream().filter(block -> held.contains(block.handle().toHex())).count();
    }

    /** Maintenance messages sent so far, by node address. */
    private static Map<String, Long> maintenance(GlacierProcessRing ring, GlacierNode glacier) throws Exception {
        Map<String, Long> sent = new HashMap<>();
        for (GlacierProcessRing.Member member : ring.live()) {
            String line = member.ask("figures", "FIGURES").get(0);
            for (String pair : line.split(" ")) {
                if (pair.startsWith("maintenance=")) {
                    sent.put(member.address(), Long.parseLong(pair.substring(12)));
                }
            }
        }
        sent.put("local", glacier.figures().get(1, TimeUnit.MINUTES).maintenanceMessages());
        return sent;
    }

    private static void run(List<ContentHashBlock> blocks, int concurrency,
                            Function<ContentHashBlock, CompletableFuture<?>> operation) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ContentHashBlock block : blocks) {
            inFlight.acquire();
            all.add(operation.apply(block).whenComplete((result, failure) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.MINUTES);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
