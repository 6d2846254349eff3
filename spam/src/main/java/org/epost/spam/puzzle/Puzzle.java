package org.epost.spam.puzzle;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.spam.policy.SpamFormatException;

/**
 * A solved first-contact puzzle as a notification carries it (opaque to POST): the nonce and the
 * {@value Equihash#SOLUTION_SIZE} Equihash indices. What it is bound to is not in it: the verifier derives the seed
 * from the notification itself ({@link PuzzleSeed}), so a puzzle cannot be moved to another one.
 *
 * <p>Encoded as {@code [format version 1, nonce: uint, indices: bstr(4 * 32), big-endian]}; version 1 fixes the
 * Equihash parameters (n = 96, k = 5, BLAKE2b).
 */
public record Puzzle(long nonce, int[] indices) {
    public static final int FORMAT_VERSION = 1;
    private static final int INDEX_BYTES = 4 * Equihash.SOLUTION_SIZE;

    public Puzzle {
        if (nonce < 0) {
            throw new IllegalArgumentException("negative nonce");
        }
        if (indices.length != Equihash.SOLUTION_SIZE) {
            throw new IllegalArgumentException("a puzzle has " + Equihash.SOLUTION_SIZE + " indices");
        }
        indices = indices.clone();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    public byte[] encode() {
        ByteBuffer packed = ByteBuffer.allocate(INDEX_BYTES);
        for (int index : indices) {
            packed.putInt(index);
        }
        return CborRecordWriter.versioned(FORMAT_VERSION, 2, 16 + INDEX_BYTES).number(nonce).bytes(packed.array())
            .end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 puzzle */
    public static Puzzle decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "puzzle", SpamFormatException.FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "puzzle");
            long nonce = in.nonNegative("nonce");
            ByteBuffer packed = ByteBuffer.wrap(in.exactBytes("indices", INDEX_BYTES));
            in.endArray();
            int[] indices = new int[Equihash.SOLUTION_SIZE];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = packed.getInt();
            }
            return new Puzzle(nonce, indices);
        }, Puzzle::encode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Puzzle p && p.nonce == nonce && Arrays.equals(p.indices, indices);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nonce) * 31 + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "Puzzle[nonce " + nonce + "]";
    }
}
