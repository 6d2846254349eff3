package org.epost.overlay.past.block;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import org.epost.overlay.wire.CborRecordWriter;

/** Keys and byte surgery shared by the block tests. */
final class BlockFixtures {
    static final long NOW = 1_700_000_000_000L;
    static final long SKEW = 60_000L;

    private BlockFixtures() {
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair x25519() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A writer positioned after a block envelope written by hand, independently of the production code: the record of
     * {@code fields} fields after the format version and the kind, its {@code formatVersion} and the kind's code.
     */
    static CborRecordWriter layout(BlockKind kind, int formatVersion, int fields) {
        return new CborRecordWriter(256).record(formatVersion, fields + 1).number(kind.code());
    }

    /**
     * A copy of {@code encoded} (any block) relabelled with format version {@code version}, which must fit the
     * one-byte integer the current versions are written as.
     */
    static byte[] withFormatVersion(byte[] encoded, int version) {
        if (version < 0 || version > 23 || encoded[1] < 0 || encoded[1] > 23) {
            throw new IllegalArgumentException("not a one-byte format version: " + version);
        }
        byte[] copy = encoded.clone();
        copy[1] = (byte) version;
        return copy;
    }

    /** A copy of {@code encoded} with one bit flipped in the first occurrence of {@code fragment}. */
    static byte[] flipBitIn(byte[] encoded, byte[] fragment) {
        int at = indexOf(encoded, fragment);
        if (at < 0) {
            throw new IllegalArgumentException("fragment not in encoding");
        }
        byte[] copy = encoded.clone();
        copy[at + fragment.length / 2] ^= 0x01;
        return copy;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
