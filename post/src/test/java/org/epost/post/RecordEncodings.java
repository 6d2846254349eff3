package org.epost.post;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Malformed variants of a structure encoded with the shared canonical CBOR record codec
 * ({@link org.epost.overlay.wire.CborRecordWriter}): an array of fewer than 24 elements whose first element, the
 * format version, is a small unsigned integer. Each variant must be refused by the structure's decoder.
 */
public final class RecordEncodings {
    private RecordEncodings() {
    }

    /**
     * Every malformed variant of {@code encoded} that this class makes: its truncations, garbage, a trailing byte,
     * format versions 0 and 2, a non-minimal version and an indefinite-length array. A mutable list, for tests to add
     * their structure's own violations.
     */
    public static List<byte[]> malformed(byte[] encoded) {
        List<byte[]> bad = new ArrayList<>(truncations(encoded));
        bad.addAll(garbage());
        bad.add(trailing(encoded));
        bad.add(withVersion(encoded, 0));
        bad.add(withVersion(encoded, encoded[1] + 1)); // the next, unknown version
        bad.add(nonMinimalVersion(encoded));
        bad.add(indefiniteLength(encoded));
        return bad;
    }

    /** {@code encoded} with its format version replaced by {@code version} (0 .. 23). */
    public static byte[] withVersion(byte[] encoded, int version) {
        requireRecord(encoded);
        byte[] changed = encoded.clone();
        changed[1] = (byte) version;
        return changed;
    }

    /** The same value, but its version written as a two-byte integer: decodes, yet is not the canonical encoding. */
    public static byte[] nonMinimalVersion(byte[] encoded) {
        requireRecord(encoded);
        byte[] changed = new byte[encoded.length + 1];
        changed[0] = encoded[0];
        changed[1] = 0x18;
        System.arraycopy(encoded, 1, changed, 2, encoded.length - 1);
        return changed;
    }

    /** The same value as an indefinite-length array: decodes, yet is not the canonical encoding. */
    public static byte[] indefiniteLength(byte[] encoded) {
        requireRecord(encoded);
        byte[] changed = Arrays.copyOf(encoded, encoded.length + 1);
        changed[0] = (byte) 0x9f;
        changed[changed.length - 1] = (byte) 0xff;
        return changed;
    }

    /** Every proper prefix of {@code encoded}, the empty one included. */
    public static List<byte[]> truncations(byte[] encoded) {
        List<byte[]> prefixes = new ArrayList<>();
        for (int length = 0; length < encoded.length; length++) {
            prefixes.add(Arrays.copyOf(encoded, length));
        }
        return prefixes;
    }

    /** {@code encoded} followed by one more byte (a CBOR zero). */
    public static byte[] trailing(byte[] encoded) {
        return Arrays.copyOf(encoded, encoded.length + 1);
    }

    /** Inputs that are not CBOR records at all. */
    public static List<byte[]> garbage() {
        return List.of(new byte[0], new byte[] {(byte) 0xff}, "not cbor at all".getBytes(),
            new byte[] {(byte) 0x80}, new byte[] {0x01}, new byte[] {(byte) 0x9b, 0x7f, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    }

    private static void requireRecord(byte[] encoded) {
        int header = encoded[0] & 0xff;
        if (header < 0x81 || header > 0x97 || (encoded[1] & 0xff) > 23) {
            throw new IllegalArgumentException("not a small record with a small format version");
        }
    }
}
