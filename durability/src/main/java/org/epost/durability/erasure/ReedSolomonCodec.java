package org.epost.durability.erasure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.backblaze.erasure.ReedSolomon;

/**
 * Systematic Reed-Solomon over GF(2^8) with Backblaze's coder: the object is cut into m data fragments (the last
 * zero-padded) and n - m parity fragments are computed; any m fragments rebuild it. Backblaze's coder works on at
 * most 256 shards in all.
 */
public final class ReedSolomonCodec implements ErasureCodec {
    /** GF(2^8) has 256 elements: a Vandermonde code over it has at most 256 rows. */
    public static final int MAX_FRAGMENTS = 256;

    private final int required;
    private final int total;
    private final ReedSolomon coder;

    /**
     * @param required m, at least 1
     * @param total    n, more than m and at most {@value #MAX_FRAGMENTS}
     */
    public ReedSolomonCodec(int required, int total) {
        if (required < 1 || total <= required || total > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("need 1 <= m < n <= " + MAX_FRAGMENTS + ", got m=" + required
                + " n=" + total);
        }
        this.required = required;
        this.total = total;
        this.coder = ReedSolomon.create(required, total - required);
    }

    @Override
    public int requiredFragments() {
        return required;
    }

    @Override
    public int totalFragments() {
        return total;
    }

    @Override
    public int fragmentLength(int objectLength) {
        if (objectLength < 0) {
            throw new IllegalArgumentException("negative object length " + objectLength);
        }
        // At least one byte, so that an empty object still has fragments to place and audit.
        return Math.max(1, (int) ((objectLength + (long) required - 1) / required));
    }

    @Override
    public List<byte[]> encode(byte[] object) {
        int length = fragmentLength(object.length);
        byte[][] shards = new byte[total][length];
        for (int i = 0; i < required; i++) {
            int from = i * length;
            if (from < object.length) {
                System.arraycopy(object, from, shards[i], 0, Math.min(length, object.length - from));
            }
        }
        coder.encodeParity(shards, 0, length);
        return List.of(shards);
    }

    @Override
    public byte[] decode(Map<Integer, byte[]> fragments, int objectLength) throws ErasureException {
        int length = fragmentLength(objectLength);
        byte[][] shards = new byte[total][];
        boolean[] present = new boolean[total];
        int count = 0;
        for (Map.Entry<Integer, byte[]> fragment : fragments.entrySet()) {
            int index = fragment.getKey();
            if (index < 0 || index >= total) {
                throw new ErasureException("fragment index " + index + " outside 0.." + (total - 1));
            }
            if (fragment.getValue().length != length) {
                throw new ErasureException("fragment " + index + " has " + fragment.getValue().length
                    + " bytes, not " + length);
            }
            shards[index] = fragment.getValue().clone();
            present[index] = true;
            count++;
        }
        if (count < required) {
            throw new ErasureException(count + " fragments, " + required + " needed");
        }
        boolean missingData = false;
        for (int i = 0; i < total; i++) {
            if (!present[i]) {
                shards[i] = new byte[length];
                missingData |= i < required;
            }
        }
        if (missingData) {
            coder.decodeMissing(shards, present, 0, length);
        }
        List<byte[]> data = new ArrayList<>(Arrays.asList(shards).subList(0, required));
        byte[] object = new byte[objectLength];
        for (int i = 0, at = 0; at < objectLength; i++, at += length) {
            System.arraycopy(data.get(i), 0, object, at, Math.min(length, objectLength - at));
        }
        return object;
    }
}
