package org.epost.durability.erasure;

import java.util.List;
import java.util.Map;

/**
 * An erasure code: an object becomes {@link #totalFragments()} fragments of equal size, any
 * {@link #requiredFragments()} of which rebuild it. Glacier stores each fragment on a different node, so an object
 * survives as long as that many of its holders do. Implementations are stateless and thread-safe.
 */
public interface ErasureCodec {

    /** m: how many fragments rebuild an object. */
    int requiredFragments();

    /** n: how many fragments an object is coded into (m data fragments, n - m parity fragments). */
    int totalFragments();

    /** The size of each fragment of an object of {@code objectLength} bytes. */
    int fragmentLength(int objectLength);

    /** The n fragments of {@code object}, indexed 0..n-1; all of {@link #fragmentLength} bytes. */
    List<byte[]> encode(byte[] object);

    /**
     * Rebuilds an object of {@code objectLength} bytes from at least m of its fragments, keyed by index.
     *
     * @throws ErasureException fewer than m fragments, an index outside 0..n-1, or a fragment of the wrong size
     */
    byte[] decode(Map<Integer, byte[]> fragments, int objectLength) throws ErasureException;
}
