package org.epost.overlay.sim;

import java.util.Map;

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
        Integer nodes = null;
        Long seed = null;
        double fail = 0.2;
        int lookups = 1000;
        int blocks = Simulation.Settings.DEFAULT_BLOCKS;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--nodes" -> nodes = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--fail" -> fail = Double.parseDouble(value);
                    case "--lookups" -> lookups = Integer.parseInt(value);
                    case "--blocks" -> blocks = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number after " + flag + ": " + value);
            }
        }
        if (nodes == null || seed == null) {
            throw new IllegalArgumentException("--nodes and --seed are required");
        }
        if (nodes < 1 || lookups < 0 || blocks < 0 || fail < 0 || fail >= 1) {
            throw new IllegalArgumentException("need nodes >= 1, lookups >= 0, blocks >= 0, 0 <= fail < 1");
        }
        return Simulation.Settings.of(nodes, seed).withFailFraction(fail).withLookups(lookups).withBlocks(blocks);
    }
}
