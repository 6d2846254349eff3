package org.epost.durability.fragment;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A SHA-256 hash tree over an object's n fragments, so that one fragment proves itself against the object's
 * manifest with ceil(log2 n) hashes (8 for n = 200: 256 bytes) instead of carrying all n fragment hashes (6.4 KB).
 * A leaf hashes a domain byte, the fragment's index and its bytes, so a fragment presented under another index does
 * not verify; inner nodes hash another domain byte and both children, so a leaf cannot pose as an inner node. Leaves
 * beyond n (up to the next power of two) are all-zero hashes.
 */
final class MerkleTree {
    private static final byte LEAF = 0;
    private static final byte INNER = 1;

    private MerkleTree() {
    }

    /** Proof length for n leaves: the tree's depth. */
    static int depth(int leaves) {
        int depth = 0;
        while ((1 << depth) < leaves) {
            depth++;
        }
        return depth;
    }

    static byte[] leaf(int index, byte[] data) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(LEAF);
        digest.update(ByteBuffer.allocate(4).putInt(index).array());
        digest.update(data);
        return digest.digest();
    }

    static byte[] inner(byte[] left, byte[] right) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(INNER);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** The root and, for each leaf, its proof (siblings from the leaf upwards). */
    record Built(byte[] root, List<List<byte[]>> proofs) {
    }

    static Built build(List<byte[]> fragments) {
        int depth = depth(fragments.size());
        int width = 1 << depth;
        List<byte[][]> levels = new ArrayList<>();
        byte[][] level = new byte[width][];
        for (int i = 0; i < width; i++) {
            level[i] = i < fragments.size() ? leaf(i, fragments.get(i)) : new byte[Sha256.BYTES];
        }
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[level.length / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = inner(level[2 * i], level[2 * i + 1]);
            }
            levels.add(up);
            level = up;
        }
        List<List<byte[]>> proofs = new ArrayList<>();
        for (int i = 0; i < fragments.size(); i++) {
            List<byte[]> proof = new ArrayList<>();
            for (int d = 0, at = i; d < depth; d++, at >>= 1) {
                proof.add(levels.get(d)[at ^ 1]);
            }
            proofs.add(List.copyOf(proof));
        }
        return new Built(level[0], proofs);
    }

    /** Whether {@code data} is leaf {@code index} under {@code root} by {@code proof}. */
    static boolean verify(byte[] root, int index, byte[] data, List<byte[]> proof) {
        byte[] at = leaf(index, data);
        for (int d = 0; d < proof.size(); d++) {
            at = ((index >> d) & 1) == 0 ? inner(at, proof.get(d)) : inner(proof.get(d), at);
        }
        return Arrays.equals(at, root);
    }
}
