package org.epost.spam.puzzle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wagner's algorithm for {@link Equihash}: the 2^17 hashes are sorted on their next 16 bits, colliding pairs XORed
 * into the next round's list (the bits they share dropped), four times, and the last round's pairs that agree on all
 * 32 remaining bits are solutions. Each round keeps only the two parents of its entries, so a solution's indices are
 * read back down the tree. The lists (two longs, the first leaf and two parents per entry, over 2^17 to 2^18
 * entries per round) are the memory the puzzle costs.
 */
final class EquihashSolver {
    /** A round's list is about as long as the first; more is a degenerate instance, cut. */
    private static final int MAX_ENTRIES = 2 * Equihash.INDEX_COUNT;
    /** Most entries of one collision bucket that are paired (expected: 2). */
    private static final int MAX_RUN = 16;
    private static final int BUCKETS = 1 << Equihash.COLLISION_BITS;

    private EquihashSolver() {
    }

    /** Every canonical solution of the instance of {@code seed} and {@code nonce} (usually one to three, can be none). */
    static List<int[]> solve(byte[] seed, long nonce) {
        int count = Equihash.INDEX_COUNT;
        long[] hi = new long[count];
        long[] lo = new long[count];
        new EquihashHashes(seed, nonce).all(hi, lo, count);
        int[] first = new int[count];
        Arrays.setAll(first, i -> i);
        int[][] lefts = new int[Equihash.K][];
        int[][] rights = new int[Equihash.K][];
        int[] order = new int[MAX_ENTRIES];
        int[] bucketStart = new int[BUCKETS + 1];
        List<int[]> solutions = new ArrayList<>();
        for (int round = 1; round <= Equihash.K; round++) {
            boolean last = round == Equihash.K;
            bucket(hi, count, order, bucketStart);
            long[] nextHi = last ? null : new long[MAX_ENTRIES];
            long[] nextLo = last ? null : new long[MAX_ENTRIES];
            int[] nextFirst = last ? null : new int[MAX_ENTRIES];
            int[] left = last ? null : new int[MAX_ENTRIES];
            int[] right = last ? null : new int[MAX_ENTRIES];
            int next = 0;
            for (int bucket = 0; bucket < BUCKETS; bucket++) {
                int start = bucketStart[bucket];
                int end = bucketStart[bucket + 1];
                int run = Math.min(end - start, MAX_RUN);
                for (int i = start; i < start + run; i++) {
                    for (int j = i + 1; j < start + run; j++) {
                        int a = order[i];
                        int b = order[j];
                        if (first[a] == first[b] || (last && (hi[a] ^ hi[b]) >>> 32 != 0)) {
                            continue; // the same leftmost leaf (they share indices), or in the last round not all
                                      // 32 remaining bits collide
                        }
                        if (first[a] > first[b]) {
                            int swap = a;
                            a = b;
                            b = swap;
                        }
                        if (last) {
                            int[] solution = leaves(lefts, rights, a, b);
                            if (distinct(solution)) {
                                solutions.add(solution);
                            }
                            continue;
                        }
                        long xh = hi[a] ^ hi[b];
                        long xl = lo[a] ^ lo[b];
                        long shiftedHi = (xh << Equihash.COLLISION_BITS) | (xl >>> (64 - Equihash.COLLISION_BITS));
                        long shiftedLo = xl << Equihash.COLLISION_BITS;
                        if ((shiftedHi == 0 && shiftedLo == 0) || next == MAX_ENTRIES) {
                            continue; // all remaining bits zero: the same indices twice, not a solution
                        }
                        nextHi[next] = shiftedHi;
                        nextLo[next] = shiftedLo;
                        nextFirst[next] = first[a];
                        left[next] = a;
                        right[next] = b;
                        next++;
                    }
                }
            }
            if (!last) {
                hi = nextHi;
                lo = nextLo;
                first = nextFirst;
                lefts[round] = Arrays.copyOf(left, next);
                rights[round] = Arrays.copyOf(right, next);
                count = next;
            }
        }
        return solutions;
    }

    /** Counting sort of the entries by their next 16 bits: {@code order} lists bucket after bucket. */
    private static void bucket(long[] hi, int count, int[] order, int[] bucketStart) {
        Arrays.fill(bucketStart, 0);
        for (int e = 0; e < count; e++) {
            bucketStart[(int) (hi[e] >>> 48) + 1]++;
        }
        for (int b = 0; b < BUCKETS; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
        int[] fill = bucketStart.clone();
        for (int e = 0; e < count; e++) {
            order[fill[(int) (hi[e] >>> 48)]++] = e;
        }
    }

    /** The leaf indices under the last round's pair ({@code a}, {@code b}), left to right. */
    private static int[] leaves(int[][] lefts, int[][] rights, int a, int b) {
        int[] out = new int[Equihash.SOLUTION_SIZE];
        int half = Equihash.SOLUTION_SIZE / 2;
        expand(lefts, rights, Equihash.K - 1, a, out, 0);
        expand(lefts, rights, Equihash.K - 1, b, out, half);
        return out;
    }

    private static void expand(int[][] lefts, int[][] rights, int round, int entry, int[] out, int at) {
        if (round == 0) {
            out[at] = entry;
            return;
        }
        expand(lefts, rights, round - 1, lefts[round][entry], out, at);
        expand(lefts, rights, round - 1, rights[round][entry], out, at + (1 << (round - 1)));
    }

    private static boolean distinct(int[] indices) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
