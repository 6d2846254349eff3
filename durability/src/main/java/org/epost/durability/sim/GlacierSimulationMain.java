package org.epost.durability.sim;

import java.util.Map;
import java.util.concurrent.Callable;

import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.sim.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code epost-sim --glacier}: runs one {@link GlacierSimulation} and prints its report as one JSON line.
 * {@code --nodes N --seed S [--fail F] [--correlated] [--objects K] [--object-bytes B] [--aggregate-below B]} (objects
 * whose encoding is smaller than B, 64 KiB by default, are aggregated by their roots; 0: none); without {@code --fail} a
 * fraction of 0.6. Lives in {@code durability} (the overlay's {@code SimulationMain} must not see Glacier), and
 * reuses the overlay's simulator and JSON writer.
 */
@Command(name = "epost-sim --glacier", description = "Runs the Glacier simulator; prints one JSON line.")
public final class GlacierSimulationMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--glacier", description = "Selects this simulator (epost-sim dispatches on it).")
    private boolean glacier;

    @Option(names = "--nodes", required = true, paramLabel = "N", description = "Nodes in the ring.")
    private int nodes;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "Seed: the same seed, the same trace.")
    private long seed;

    @Option(names = "--fail", paramLabel = "FRACTION", description = "Fraction of the nodes that crash at once"
        + " (default: ${DEFAULT-VALUE}).")
    private double fail = 0.6;

    @Option(names = "--correlated", description = "The crashed nodes are one contiguous run of the ring.")
    private boolean correlated;

    @Option(names = "--objects", paramLabel = "K", description = "Objects stored (default: ${DEFAULT-VALUE}).")
    private int objects = GlacierSimSettings.DEFAULT_OBJECTS;

    @Option(names = "--object-bytes", paramLabel = "B", description = "Bytes per object (default: ${DEFAULT-VALUE}).")
    private int objectBytes = GlacierSimSettings.DEFAULT_OBJECT_BYTES;

    @Option(names = "--aggregate-below", paramLabel = "B", description = "Objects whose encoding is smaller than B"
        + " bytes are aggregated by their roots; 0: none (default: the settings' 64 KiB).")
    private Integer aggregateBelow;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new GlacierSimulationMain(), args));
    }

    /** The settings {@code args} give; a line that cannot be read is a {@link picocli.CommandLine.ParameterException}. */
    static GlacierSimSettings parse(String... args) {
        return CommandLines.parse(new GlacierSimulationMain(), args).settings();
    }

    private GlacierSimSettings settings() {
        try {
            GlacierSimSettings settings = GlacierSimSettings.of(nodes, seed).withFail(fail, correlated)
                .withObjects(objects, objectBytes);
            return aggregateBelow == null ? settings : settings.withAggregateBelow(aggregateBelow);
        } catch (IllegalArgumentException e) {
            throw CommandLines.invalid(spec, e.getMessage());
        }
    }

    @Override
    public Integer call() {
        Map<String, Object> report = new GlacierSimulation(settings()).run();
        System.out.println(Json.write(report));
        return 0;
    }
}
