package org.epost.spam.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import org.epost.overlay.cli.CommandLines;

import org.epost.spam.puzzle.Equihash;
import org.epost.spam.puzzle.Puzzle;
import org.epost.spam.puzzle.PuzzleDifficulty;
import org.epost.spam.puzzle.PuzzleSolver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints, as one JSON line, what the first-contact puzzle costs on this machine (one core): the solve-time
 * distribution of an ordinary first mail (base difficulty), the mean time of one Equihash solve and the solutions per
 * instance (from which each level's cost is extrapolated: level b costs 2^b / solutions-per-instance solves), the cost
 * of 10,000 first contacts in a day at the levels a recipient's peer demands, the time of one check, and the memory
 * one solve allocates. A harness, not a test: {@code deploy/bin/epost-bench-puzzle [--solves 40] [--checks 2000]}.
 */
@Command(name = "epost-bench-puzzle", description = "What the first-contact puzzle costs on this machine (one"
    + " core); prints one JSON line.")
public final class PuzzleBenchmark implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--solves", paramLabel = "S", description = "Puzzles solved at the base difficulty (default:"
        + " ${DEFAULT-VALUE}).")
    private int solves = 40;

    @Option(names = "--checks", paramLabel = "C", description = "Solutions checked (default: ${DEFAULT-VALUE}).")
    private int checks = 2000;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new PuzzleBenchmark(), args));
    }

    @Override
    public Integer call() {
        if (solves < 1 || checks < 1) {
            throw CommandLines.invalid(spec, "--solves and --checks must be at least 1");
        }
        PuzzleDifficulty difficulty = PuzzleDifficulty.defaults();
        Random random = new Random(1);
        PuzzleSolver.solve(seed(random), 0); // warm-up
        long[] millis = new long[solves];
        long nonces = 0;
        Puzzle[] solved = new Puzzle[solves];
        byte[][] seeds = new byte[solves][];
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < solves; i++) {
            seeds[i] = seed(random);
            long start = System.nanoTime();
            solved[i] = PuzzleSolver.solve(seeds[i], difficulty.baseBits());
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            nonces += solved[i].nonce() + 1;
        }
        long allocatedPerInstance = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / nonces;
        long totalMillis = Arrays.stream(millis).sum();
        double perInstanceMillis = (double) totalMillis / nonces;
        // solutions per instance: measured at difficulty 0 as 1 / P(instance has a solution) is biased; count them
        double solutionsPerInstance = solutionsPerInstance(random, 20);
        double tenThousandSeconds = 0;
        for (long count = 0; count < 10_000; count++) {
            int bits = difficulty.demandedBits(count);
            tenThousandSeconds += Math.pow(2, bits) / solutionsPerInstance * perInstanceMillis / 1000;
        }
        checkAll(seeds, solved, checks, difficulty.baseBits()); // warm-up: the JIT compiles the check first
        long checkStart = System.nanoTime();
        int valid = checkAll(seeds, solved, checks, difficulty.baseBits());
        double checkMicros = (System.nanoTime() - checkStart) / 1000.0 / checks;
        Arrays.sort(millis);
        System.out.println(String.format(Locale.ROOT, "{\"equihash\":\"n=%d,k=%d,blake2b\",\"baseBits\":%d,"
                + "\"solves\":%d,\"solveMillisP50\":%d,\"solveMillisP90\":%d,\"solveMillisMax\":%d,"
                + "\"instanceMillis\":%.1f,\"solutionsPerInstance\":%.2f,\"tenThousandFirstContactsHours\":%.1f,"
                + "\"levelAt10000\":%d,\"checkMicros\":%.1f,\"checksValid\":%d,\"allocatedMiBPerInstance\":%.1f}",
            Equihash.N_BITS, Equihash.K, difficulty.baseBits(), solves, millis[solves / 2], millis[solves * 9 / 10],
            millis[solves - 1], perInstanceMillis, solutionsPerInstance, tenThousandSeconds / 3600,
            difficulty.demandedBits(9_999), checkMicros, valid, allocatedPerInstance / 1048576.0));
        return 0;
    }

    private static int checkAll(byte[][] seeds, Puzzle[] solved, int checks, int bits) {
        int valid = 0;
        for (int i = 0; i < checks; i++) {
            int which = i % solved.length;
            valid += PuzzleSolver.check(seeds[which], solved[which], bits) == null ? 1 : 0;
        }
        return valid;
    }

    private static double solutionsPerInstance(Random random, int instances) {
        long found = 0;
        for (int i = 0; i < instances; i++) {
            found += PuzzleSolver.solutions(seed(random), 0);
        }
        return (double) found / instances;
    }

    private static byte[] seed(Random random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return seed;
    }
}
