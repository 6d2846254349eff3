package org.epost.overlay.sim;

import java.util.concurrent.Callable;

import org.epost.overlay.cli.CommandLines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs one simulation and prints its report as one JSON object:
 * {@code --nodes N --seed S [--fail FRACTION] [--lookups M] [--blocks B]}: B content-hash blocks (default
 * 1000; 0: no PAST) are stored in PAST and {@code replicas_ok} counted before and after the crash.
 */
@Command(name = "epost-sim", description = "Runs the overlay's deterministic simulator; prints one JSON object.")
public final class SimulationMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", required = true, paramLabel = "N", description = "Nodes in the ring (at least 1).")
    private int nodes;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "Seed: the same seed, the same trace.")
    private long seed;

    @Option(names = "--fail", paramLabel = "FRACTION",
        description = "Fraction of the nodes that crash, 0 <= F < 1 (default: ${DEFAULT-VALUE}).")
    private double fail = 0.2;

    @Option(names = "--lookups", paramLabel = "M", description = "Lookups routed (default: ${DEFAULT-VALUE}).")
    private int lookups = 1000;

    @Option(names = "--blocks", paramLabel = "B",
        description = "Content-hash blocks stored in PAST, 0: no PAST (default: ${DEFAULT-VALUE}).")
    private int blocks = Simulation.Settings.DEFAULT_BLOCKS;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new SimulationMain(), args));
    }

    /** The settings {@code args} give; a line that cannot be read is a {@link picocli.CommandLine.ParameterException}. */
    static Simulation.Settings parse(String... args) {
        return CommandLines.parse(new SimulationMain(), args).settings();
    }

    private Simulation.Settings settings() {
        if (nodes < 1 || lookups < 0 || blocks < 0 || fail < 0 || fail >= 1) {
            throw CommandLines.invalid(spec, "need nodes >= 1, lookups >= 0, blocks >= 0, 0 <= fail < 1");
        }
        return Simulation.Settings.of(nodes, seed).withFailFraction(fail).withLookups(lookups).withBlocks(blocks);
    }

    @Override
    public Integer call() {
        System.out.println(Json.write(new Simulation(settings()).run()));
        return 0;
    }
}
