package org.epost.spam.puzzle;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Equihash (Biryukov and Khovratovich) with n = {@value #N_BITS}, k = {@value #K}: find {@value #SOLUTION_SIZE}
 * distinct indices below {@value #INDEX_COUNT} whose hashes ({@link EquihashHashes}) XOR to zero, such that each
 * subtree of 2^r indices XORs to zero in its first 16r bits and its left half starts with the smaller index (Zcash's
 * canonical order). Solving takes Wagner's algorithm over the 2^17-entry list (megabytes of memory, 26,215 BLAKE2b
 * calls); checking takes {@value #SOLUTION_SIZE} hashes. A difficulty is asked on top: the BLAKE2b-256 of the seed,
 * nonce and indices must start with that many zero bits, so each bit doubles the expected number of solves.
 */
public final class Equihash {
    public static final int N_BITS = 96;
    public static final int K = 5;
    static final int COLLISION_BITS = N_BITS / (K + 1);
    public static final int INDEX_BITS = COLLISION_BITS + 1;
    public static final int INDEX_COUNT = 1 << INDEX_BITS;
    public static final int SOLUTION_SIZE = 1 << K;
    private static final byte[] DIFFICULTY_PERSONAL = EquihashHashes.personal("epost-eqdiff1");

    private Equihash() {
    }

    /** Whether {@code indices} solve the instance of {@code seed} and {@code nonce}; null when so, else why not. */
    public static String check(byte[] seed, long nonce, int[] indices) {
        if (indices.length != SOLUTION_SIZE) {
            return "a solution has " + SOLUTION_SIZE + " indices, not " + indices.length;
        }
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || sorted[i] >= INDEX_COUNT || (i > 0 && sorted[i] == sorted[i - 1])) {
                return "indices must be distinct and below " + INDEX_COUNT;
            }
        }
        EquihashHashes hashes = new EquihashHashes(seed, nonce);
        long[] hi = new long[SOLUTION_SIZE];
        long[] lo = new long[SOLUTION_SIZE];
        for (int i = 0; i < SOLUTION_SIZE; i++) {
            long[] hash = hashes.of(indices[i]);
            hi[i] = hash[0];
            lo[i] = hash[1];
        }
        // level by level, the XOR of each subtree replaces its left half's slot
        for (int r = 1; r <= K; r++) {
            int size = 1 << r;
            int half = size >> 1;
            for (int start = 0; start < SOLUTION_SIZE; start += size) {
                if (indices[start] >= indices[start + half]) {
                    return "indices are not in canonical order";
                }
                hi[start] ^= hi[start + half];
                lo[start] ^= lo[start + half];
                if (!zeroPrefix(hi[start], lo[start], r == K ? N_BITS : r * COLLISION_BITS)) {
                    return "the hashes do not collide at level " + r;
                }
            }
        }
        return null;
    }

    /** The number of leading zero bits of the solution's difficulty hash. */
    public static int difficultyBits(byte[] seed, long nonce, int[] indices) {
        Blake2bDigest digest = new Blake2bDigest(null, 32, null, DIFFICULTY_PERSONAL);
        ByteBuffer in = ByteBuffer.allocate(seed.length + 8 + 4 * indices.length).put(seed).putLong(nonce);
        for (int index : indices) {
            in.putInt(index);
        }
        digest.update(in.array(), 0, in.capacity());
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        int bits = 0;
        for (byte b : out) {
            if (b != 0) {
                return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
            }
            bits += 8;
        }
        return bits;
    }

    private static boolean zeroPrefix(long hi, long lo, int bits) {
        if (bits <= 64) {
            return bits == 0 || (hi >>> (64 - bits)) == 0;
        }
        return hi == 0 && (lo >>> (128 - bits)) == 0;
    }
}
