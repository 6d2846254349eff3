package org.epost.overlay.sim;

import java.util.Map;
import java.util.Set;

/**
 * Runs one simulation and prints its report as one JSON object:
 * {@code --nodes N --seed S [--fail FRACTION] [--lookups M] [--blocks B]}: B content-hash blocks (default
 * 1000; 0: no PAST) are stored in PAST and {@code replicas_ok} counted before and after the crash.
 */
public final class SimulationMain {
    private SimulationMain() {
    }

    public static void main(String[] args) {
        Simulation.Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: SimulationMain --nodes N --seed S [--fail FRACTION] [--lookups M] [--blocks B]");
            System.exit(2);
            return;
        }
        Map<String, Object> report = new Simulation(settings).run();
        System.out.println(Json.write(report));
    }

    static Simulation.Settings parse(String[] args) {
        CommandLineFlags flags = CommandLineFlags.parse(args,
            Set.of("--nodes", "--seed", "--fail", "--lookups", "--blocks"), Set.of());
        Integer nodes = flags.integer("--nodes").orElse(null);
        Long seed = flags.longNumber("--seed").orElse(null);
        double fail = flags.decimal("--fail").orElse(0.2);
        int lookups = flags.integer("--lookups").orElse(1000);
        int blocks = flags.integer("--blocks").orElse(Simulation.Settings.DEFAULT_BLOCKS);
        if (nodes == null || seed == null) {
            throw new IllegalArgumentException("--nodes and --seed are required");
        }
        if (nodes < 1 || lookups < 0 || blocks < 0 || fail < 0 || fail >= 1) {
            throw new IllegalArgumentException("need nodes >= 1, lookups >= 0, blocks >= 0, 0 <= fail < 1");
        }
        return Simulation.Settings.of(nodes, seed).withFailFraction(fail).withLookups(lookups).withBlocks(blocks);
    }
}
