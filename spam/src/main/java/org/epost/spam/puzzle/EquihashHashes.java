package org.epost.spam.puzzle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The hashes Equihash collides: for a seed and nonce, index {@code i} names the {@value #HASH_BYTES}-byte slice
 * {@code i % 5} of BLAKE2b-480(seed, nonce, i / 5) (one BLAKE2b call yields five hashes, as in Zcash's Equihash), read
 * as a 96-bit number in two longs: {@code hi} the first 8 bytes, {@code lo} the last 4 in its top 32 bits.
 */
final class EquihashHashes {
    static final int HASH_BYTES = Equihash.N_BITS / 8;
    static final int PER_CALL = 5;
    private static final byte[] PERSONAL = personal("epost-equihash1");

    private final Blake2bDigest digest = new Blake2bDigest(null, HASH_BYTES * PER_CALL, null, PERSONAL);
    private final byte[] prefix;
    private final byte[] out = new byte[HASH_BYTES * PER_CALL];
    private final byte[] counter = new byte[4];

    EquihashHashes(byte[] seed, long nonce) {
        prefix = ByteBuffer.allocate(seed.length + 8).order(ByteOrder.LITTLE_ENDIAN).put(seed).putLong(nonce).array();
    }

    /** Fills {@code hi[i]}, {@code lo[i]} for every index below {@code count} (a multiple of {@value #PER_CALL} or not). */
    void all(long[] hi, long[] lo, int count) {
        for (int call = 0; call * PER_CALL < count; call++) {
            compute(call);
            for (int t = 0; t < PER_CALL && call * PER_CALL + t < count; t++) {
                hi[call * PER_CALL + t] = hi(t);
                lo[call * PER_CALL + t] = lo(t);
            }
        }
    }

    /** The hash of one index: {@code [hi, lo]}. */
    long[] of(int index) {
        compute(index / PER_CALL);
        int t = index % PER_CALL;
        return new long[] {hi(t), lo(t)};
    }

    private void compute(int call) {
        counter[0] = (byte) call;
        counter[1] = (byte) (call >>> 8);
        counter[2] = (byte) (call >>> 16);
        counter[3] = (byte) (call >>> 24);
        digest.update(prefix, 0, prefix.length);
        digest.update(counter, 0, 4);
        digest.doFinal(out, 0);
    }

    private long hi(int slice) {
        long value = 0;
        for (int b = 0; b < 8; b++) {
            value = (value << 8) | (out[slice * HASH_BYTES + b] & 0xff);
        }
        return value;
    }

    private long lo(int slice) {
        long value = 0;
        for (int b = 8; b < HASH_BYTES; b++) {
            value = (value << 8) | (out[slice * HASH_BYTES + b] & 0xff);
        }
        return value << 32;
    }

    /** BLAKE2b's 16-byte personalization from a short ASCII tag, zero-padded. */
    static byte[] personal(String tag) {
        byte[] bytes = new byte[16];
        byte[] ascii = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, bytes, 0, ascii.length);
        return bytes;
    }
}
