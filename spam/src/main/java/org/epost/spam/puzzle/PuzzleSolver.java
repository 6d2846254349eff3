package org.epost.spam.puzzle;

/**
 * Solves a first-contact puzzle at a difficulty: Equihash instances for nonce 0, 1, 2, ... until one has a solution
 * whose difficulty hash starts with {@code bits} zero bits. Expected cost: about 2^bits / 1.9 Equihash solves (an
 * instance has 1.9 solutions on average). CPU-bound; callers run it off the overlay's thread.
 */
public final class PuzzleSolver {
    /** Most nonces tried: 2^40 solves is beyond any difficulty a peer asks. */
    private static final long MAX_NONCE = 1L << 40;

    private PuzzleSolver() {
    }

    public static Puzzle solve(byte[] seed, int bits) {
        if (bits < 0 || bits > 40) {
            throw new IllegalArgumentException("difficulty from 0 to 40 bits, not " + bits);
        }
        for (long nonce = 0; nonce < MAX_NONCE; nonce++) {
            for (int[] solution : EquihashSolver.solve(seed, nonce)) {
                if (Equihash.difficultyBits(seed, nonce, solution) >= bits) {
                    return new Puzzle(nonce, solution);
                }
            }
        }
        throw new IllegalStateException("no solution within " + MAX_NONCE + " nonces");
    }

    /** How many solutions the instance of {@code seed} and {@code nonce} has (the benchmark's calibration). */
    public static int solutions(byte[] seed, long nonce) {
        return EquihashSolver.solve(seed, nonce).size();
    }

    /** Whether {@code puzzle} solves {@code seed} at {@code bits} or more; null when so, else why not. */
    public static String check(byte[] seed, Puzzle puzzle, int bits) {
        String invalid = Equihash.check(seed, puzzle.nonce(), puzzle.indices());
        if (invalid != null) {
            return invalid;
        }
        int found = Equihash.difficultyBits(seed, puzzle.nonce(), puzzle.indices());
        return found >= bits ? null : "too easy: " + found + " bits of difficulty, " + bits + " asked";
    }
}
