package org.epost.durability.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import org.epost.durability.erasure.ErasureException;
import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.params.GlacierParameters;
import org.epost.durability.sim.GlacierSimSettings;
import org.epost.durability.sim.GlacierSimulation;
import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.id.Id;
import org.epost.overlay.sim.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code epost-bench-glacier}: Glacier's costs, as one JSON line. Encode throughput (an object into its n fragments
 * with hash-tree proofs) and rebuild throughput (m fragments, mostly parity, verified and decoded) on this CPU, wall
 * clock; then a simulated ring (virtual time) for the maintenance traffic per node and the repair after a crash.
 * {@code [--object-bytes B] [--rounds R] [--nodes N] [--seed S] [--fail F] [--correlated] [--objects K]}.
 */
@Command(name = "epost-bench-glacier", description = "Glacier's encode and rebuild throughput on this CPU, and a"
    + " simulated ring's maintenance and repair; prints one JSON line.")
public final class GlacierBenchmark implements Callable<Integer> {
    @Option(names = "--object-bytes", paramLabel = "B",
        description = "Bytes of the coded object (default: ${DEFAULT-VALUE}).")
    private int objectBytes = 1 << 20;

    @Option(names = "--rounds", paramLabel = "R",
        description = "Encodes and rebuilds timed (default: ${DEFAULT-VALUE}).")
    private int rounds = 20;

    @Option(names = "--nodes", paramLabel = "N",
        description = "Nodes of the simulated ring (default: ${DEFAULT-VALUE}).")
    private int nodes = 1000;

    @Option(names = "--seed", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed = 1;

    @Option(names = "--fail", paramLabel = "F", description = "Fraction of the simulated nodes that crash"
        + " (default: ${DEFAULT-VALUE}).")
    private double fail = 0.6;

    @Option(names = "--correlated", description = "The crashed nodes are one contiguous run of the ring.")
    private boolean correlated;

    @Option(names = "--objects", paramLabel = "K",
        description = "Objects of the simulated ring (default: ${DEFAULT-VALUE}).")
    private int objects = 50;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new GlacierBenchmark(), args));
    }

    @Override
    public Integer call() throws ErasureException {
        GlacierParameters code = GlacierParameters.forRing(Math.max(nodes, 800));

        Random random = new Random(seed);
        byte[] object = new byte[objectBytes];
        random.nextBytes(object);
        Id handle = Id.hash(object);
        List<Fragment> fragments = FragmentCoder.encode(handle, 1, object, code.n(), code.m());
        long encodeNanos = 0;
        long rebuildNanos = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            fragments = FragmentCoder.encode(handle, 1, object, code.n(), code.m());
            encodeNanos += System.nanoTime() - start;
            // The worst case for a systematic code: as few data fragments as possible among the m used.
            List<Fragment> parity = new ArrayList<>(fragments.subList(code.m(), code.n()));
            Collections.shuffle(parity, random);
            List<Fragment> used = new ArrayList<>(parity.subList(0, Math.min(code.m(), parity.size())));
            used.addAll(fragments.subList(0, code.m() - used.size()));
            start = System.nanoTime();
            byte[] rebuilt = FragmentCoder.decode(fragments.get(0).manifest(), used);
            rebuildNanos += System.nanoTime() - start;
            if (rebuilt.length != objectBytes) {
                throw new IllegalStateException("rebuilt " + rebuilt.length + " bytes");
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("n", code.n());
        report.put("m", code.m());
        report.put("object_bytes", objectBytes);
        report.put("rounds", rounds);
        report.put("encode_mib_per_s", mibPerSecond(objectBytes, rounds, encodeNanos));
        report.put("rebuild_mib_per_s", mibPerSecond(objectBytes, rounds, rebuildNanos));
        report.put("cpus", Runtime.getRuntime().availableProcessors());

        GlacierSimSettings settings = GlacierSimSettings.of(nodes, seed)
            .withFail(fail, correlated).withObjects(objects, 256 * 1024);
        Map<String, Object> sim = new GlacierSimulation(settings).run();
        report.put("sim", sim);
        System.out.println(Json.write(report));
        return 0;
    }

    private static double mibPerSecond(int bytes, int rounds, long nanos) {
        return Math.round(bytes * (double) rounds / (1 << 20) / (nanos / 1e9) * 10) / 10.0;
    }
}
