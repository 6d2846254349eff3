package org.epost.durability.fragment;

import java.util.Arrays;
import java.util.Objects;

import org.epost.durability.erasure.ReedSolomonCodec;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * What every fragment of one object carries about the object: its PAST handle and block kind, its length, the code
 * (n, m) and the root of the hash tree over its n fragments ({@link MerkleTree}). Reed-Solomon coding is
 * deterministic, so every honest encoder of the same object makes the same manifest; a holder checks a fragment
 * against it alone, and a reader only accepts an object rebuilt under a manifest if the object verifies against
 * its handle (PAST's own verification), which unmasks a forged manifest. Canonical CBOR:
 * {@code [1, handle, kind, length, n, m, root]}.
 */
public record FragmentManifest(Id objectHandle, int kindCode, int objectLength, int n, int m, byte[] root) {
    public static final int VERSION = 1;
    /** Objects are PAST blocks (at most 1 MiB of content plus their envelope) or aggregates of about 1 MiB. */
    public static final int MAX_OBJECT_BYTES = 2 << 20;
    static final int MAX_ENCODED_BYTES = 128;

    public FragmentManifest {
        Objects.requireNonNull(objectHandle, "objectHandle");
        if (kindCode < 0 || kindCode > 255) {
            throw new IllegalArgumentException("kind code outside 0..255: " + kindCode);
        }
        if (objectLength < 0 || objectLength > MAX_OBJECT_BYTES) {
            throw new IllegalArgumentException("object length outside 0.." + MAX_OBJECT_BYTES + ": " + objectLength);
        }
        if (m < 1 || n <= m || n > ReedSolomonCodec.MAX_FRAGMENTS) {
            throw new IllegalArgumentException("need 1 <= m < n <= 256; got n=" + n + " m=" + m);
        }
        if (root.length != Sha256.BYTES) {
            throw new IllegalArgumentException("root of " + root.length + " bytes");
        }
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** The length of each fragment: the codec's share of the object (at least one byte). */
    public int fragmentLength() {
        return Math.max(1, (int) ((objectLength + (long) m - 1) / m));
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(VERSION, 6, 96).bytes(objectHandle.toBytes()).number(kindCode)
            .number(objectLength).number(n).number(m).bytes(root).end().toBytes();
    }

    /** SHA-256 of the encoding: what audits compare and rebuilds group fragments by. */
    public byte[] digest() {
        return Sha256.of(encode());
    }

    public static FragmentManifest decode(byte[] bytes) throws FragmentFormatException {
        if (bytes != null && bytes.length > MAX_ENCODED_BYTES) {
            throw new FragmentFormatException("manifest of " + bytes.length + " bytes");
        }
        return CborRecordReader.decodeCanonical(bytes, "fragment manifest", FragmentFormatException.FAILURES, in -> {
            in.beginRecord(VERSION, "fragment manifest");
            Id handle = Id.of(in.exactBytes("object handle", Id.BYTES));
            int kind = in.bounded("kind code", 255);
            int length = in.bounded("object length", MAX_OBJECT_BYTES);
            int n = in.bounded("n", ReedSolomonCodec.MAX_FRAGMENTS);
            int m = in.bounded("m", ReedSolomonCodec.MAX_FRAGMENTS);
            byte[] root = in.exactBytes("root", Sha256.BYTES);
            in.endArray();
            return new FragmentManifest(handle, kind, length, n, m, root);
        }, FragmentManifest::encode);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentManifest other && objectHandle.equals(other.objectHandle)
            && kindCode == other.kindCode && objectLength == other.objectLength && n == other.n && m == other.m
            && Arrays.equals(root, other.root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(objectHandle, kindCode, objectLength, n, m, Arrays.hashCode(root));
    }

    @Override
    public String toString() {
        return "FragmentManifest(" + objectHandle + ", kind " + kindCode + ", " + objectLength + " bytes, " + m + "/"
            + n + ")";
    }
}
