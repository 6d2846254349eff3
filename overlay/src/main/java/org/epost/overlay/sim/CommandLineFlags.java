package org.epost.overlay.sim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code --flag value} and {@code --switch} arguments of the simulators' and stand-alone nodes' command lines, read
 * once: an unknown flag, a flag without its value or a value that is not a number is an
 * {@link IllegalArgumentException} that names it.
 */
public final class CommandLineFlags {
    private final Map<String, String> values;
    private final Set<String> switches;

    private CommandLineFlags(Map<String, String> values, Set<String> switches) {
        this.values = values;
        this.switches = switches;
    }

    /** Reads {@code args}: {@code valued} flags take the next argument, {@code switchFlags} stand alone. */
    public static CommandLineFlags parse(String[] args, Set<String> valued, Set<String> switchFlags) {
        Map<String, String> values = new HashMap<>();
        Set<String> switches = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (switchFlags.contains(flag)) {
                switches.add(flag);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            if (!valued.contains(flag)) {
                throw new IllegalArgumentException("unknown option " + flag);
            }
            values.put(flag, args[++i]);
        }
        return new CommandLineFlags(values, switches);
    }

    public boolean has(String switchFlag) {
        return switches.contains(switchFlag);
    }

    public Optional<String> text(String flag) {
        return Optional.ofNullable(values.get(flag));
    }

    /** The value of a flag that must be given. */
    public String required(String flag) {
        return text(flag).orElseThrow(() -> new IllegalArgumentException("missing " + flag));
    }

    public Optional<Integer> integer(String flag) {
        return number(flag, Integer::parseInt);
    }

    public Optional<Long> longNumber(String flag) {
        return number(flag, Long::parseLong);
    }

    public Optional<Double> decimal(String flag) {
        return number(flag, Double::parseDouble);
    }

    private <T> Optional<T> number(String flag, Function<String, T> parser) {
        String value = values.get(flag);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number after " + flag + ": " + value);
        }
    }
}
