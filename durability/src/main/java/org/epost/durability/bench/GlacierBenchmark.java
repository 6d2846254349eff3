package org.epost.durability.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.epost.durability.erasure.ErasureException;
import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.params.GlacierParameters;
import org.epost.durability.sim.GlacierSimSettings;
import org.epost.durability.sim.GlacierSimulation;
import org.epost.overlay.id.Id;
import org.epost.overlay.sim.Json;

/**
 * {@code epost-bench-glacier}: Glacier's costs, as one JSON line. Encode throughput (an object into its n fragments
 * with hash-tree proofs) and rebuild throughput (m fragments, mostly parity, verified and decoded) on this CPU, wall
 * clock; then a simulated ring (virtual time) for the maintenance traffic per node and the repair after a crash.
 * {@code [--object-bytes B] [--rounds R] [--nodes N] [--seed S] [--fail F] [--correlated] [--objects K]}.
 */
public final class GlacierBenchmark {
    private GlacierBenchmark() {
    }

    public static void main(String[] args) throws ErasureException {
        Map<String, String> options = options(args);
        int objectBytes = Integer.parseInt(options.getOrDefault("--object-bytes", String.valueOf(1 << 20)));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "20"));
        int nodes = Integer.parseInt(options.getOrDefault("--nodes", "1000"));
        long seed = Long.parseLong(options.getOrDefault("--seed", "1"));
        double fail = Double.parseDouble(options.getOrDefault("--fail", "0.6"));
        int objects = Integer.parseInt(options.getOrDefault("--objects", "50"));
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
            .withFail(fail, options.containsKey("--correlated")).withObjects(objects, 256 * 1024);
        Map<String, Object> sim = new GlacierSimulation(settings).run();
        report.put("sim", sim);
        System.out.println(Json.write(report));
    }

    private static double mibPerSecond(int bytes, int rounds, long nanos) {
        return Math.round(bytes * (double) rounds / (1 << 20) / (nanos / 1e9) * 10) / 10.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--correlated")) {
                options.put(args[i], "true");
            } else if (i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
        }
        return options;
    }
}
