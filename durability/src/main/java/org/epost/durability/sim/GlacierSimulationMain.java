package org.epost.durability.sim;

import java.util.Map;
import java.util.Set;

import org.epost.overlay.sim.CommandLineFlags;
import org.epost.overlay.sim.Json;

/**
 * {@code epost-sim --glacier}: runs one {@link GlacierSimulation} and prints its report as one JSON line.
 * {@code --nodes N --seed S [--fail F] [--correlated] [--objects K] [--object-bytes B] [--aggregate-below B]} (objects
 * whose encoding is smaller than B, 64 KiB by default, are aggregated by their roots; 0: none); without {@code --fail} a
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
                + "[--objects K] [--object-bytes B] [--aggregate-below B]");
            System.exit(2);
            return;
        }
        Map<String, Object> report = new GlacierSimulation(settings).run();
        System.out.println(Json.write(report));
    }

    static GlacierSimSettings parse(String[] args) {
        CommandLineFlags flags = CommandLineFlags.parse(args,
            Set.of("--nodes", "--seed", "--fail", "--objects", "--object-bytes", "--aggregate-below"),
            Set.of("--glacier", "--correlated"));
        Integer nodes = flags.integer("--nodes").orElse(null);
        Long seed = flags.longNumber("--seed").orElse(null);
        double fail = flags.decimal("--fail").orElse(0.6);
        boolean correlated = flags.has("--correlated");
        int objects = flags.integer("--objects").orElse(GlacierSimSettings.DEFAULT_OBJECTS);
        int objectBytes = flags.integer("--object-bytes").orElse(GlacierSimSettings.DEFAULT_OBJECT_BYTES);
        if (nodes == null || seed == null) {
            throw new IllegalArgumentException("--nodes and --seed are required");
        }
        GlacierSimSettings settings = GlacierSimSettings.of(nodes, seed).withFail(fail, correlated)
            .withObjects(objects, objectBytes);
        return settings.withAggregateBelow(flags.integer("--aggregate-below").orElse(settings.aggregateBelow()));
    }
}
