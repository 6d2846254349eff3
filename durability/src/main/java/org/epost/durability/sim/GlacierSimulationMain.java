package org.epost.durability.sim;

import java.util.Map;

import org.epost.overlay.sim.Json;

/**
 * {@code epost-sim --glacier}: runs one {@link GlacierSimulation} and prints its report as one JSON line.
 * {@code --nodes N --seed S [--fail F] [--correlated] [--objects K] [--object-bytes B]}; without {@code --fail} a
 * fraction of 0.6. Lives in {@code durability} (the overlay's {@code SimulationMain} must not see Glacier), and
 * reuses the overlay's simulator and JSON writer.
 */
public final class GlacierSimulationMain {
    private GlacierSimulationMain() {
    }

    public static void main(String[] args) {
        GlacierSimSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: epost-sim --glacier --nodes N --seed S [--fail FRACTION] [--correlated] "
                + "[--objects K] [--object-bytes B]");
            System.exit(2);
            return;
        }
        Map<String, Object> report = new GlacierSimulation(settings).run();
        System.out.println(Json.write(report));
    }

    static GlacierSimSettings parse(String[] args) {
        Integer nodes = null;
        Long seed = null;
        double fail = 0.6;
        boolean correlated = false;
        int objects = GlacierSimSettings.DEFAULT_OBJECTS;
        int objectBytes = GlacierSimSettings.DEFAULT_OBJECT_BYTES;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--glacier")) {
                continue;
            }
            if (flag.equals("--correlated")) {
                correlated = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--nodes" -> nodes = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--fail" -> fail = Double.parseDouble(value);
                    case "--objects" -> objects = Integer.parseInt(value);
                    case "--object-bytes" -> objectBytes = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number after " + flag + ": " + value);
            }
        }
        if (nodes == null || seed == null) {
            throw new IllegalArgumentException("--nodes and --seed are required");
        }
        return GlacierSimSettings.of(nodes, seed).withFail(fail, correlated).withObjects(objects, objectBytes);
    }
}
