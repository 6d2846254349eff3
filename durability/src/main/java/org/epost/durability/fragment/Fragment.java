package org.epost.durability.fragment;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.epost.durability.erasure.ReedSolomonCodec;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * Fragment {@code index} of an object: its bytes, the object's manifest and the hash-tree proof that ties the bytes
 * and the index to the manifest's root. A holder checks a fragment with {@link #isValid()} alone, before it stores
 * or serves it; a reader checks again. Canonical CBOR: {@code [1, manifest, index, [proof hashes], data]}, the
 * manifest nested as its own encoding.
 */
public record Fragment(FragmentManifest manifest, int index, List<byte[]> proof, byte[] data) {
    public static final int VERSION = 1;
    /** Depth of the hash tree of the widest code (256 fragments). */
    static final int MAX_PROOF = MerkleTree.depth(ReedSolomonCodec.MAX_FRAGMENTS);
    /** No fragment encoding is longer: a whole maximal object as one share, plus proof and manifest. */
    public static final int MAX_ENCODED_BYTES = FragmentManifest.MAX_OBJECT_BYTES + 1024;

    public Fragment {
        Objects.requireNonNull(manifest, "manifest");
        if (index < 0 || index > 255) {
            throw new IllegalArgumentException("fragment index outside 0..255: " + index);
        }
        if (proof.size() > MAX_PROOF) {
            throw new IllegalArgumentException("proof of " + proof.size() + " hashes");
        }
        proof = proof.stream().map(byte[]::clone).toList();
        for (byte[] hash : proof) {
            if (hash.length != Sha256.BYTES) {
                throw new IllegalArgumentException("proof hash of " + hash.length + " bytes");
            }
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public List<byte[]> proof() {
        return proof.stream().map(byte[]::clone).toList();
    }

    public int dataLength() {
        return data.length;
    }

    /**
     * Whether this is fragment {@code index} of the object its manifest describes: the index within n, the length
     * the code gives, and the bytes under the manifest's root by the proof.
     */
    public boolean isValid() {
        return index < manifest.n() && data.length == manifest.fragmentLength()
            && proof.size() == MerkleTree.depth(manifest.n()) && MerkleTree.verify(manifest.root(), index, data, proof);
    }

    public byte[] encode() {
        byte[] manifestBytes = manifest.encode();
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 4, data.length + 400).bytes(manifestBytes)
            .number(index);
        out.list(proof, out::bytes);
        return out.bytes(data).end().toBytes();
    }

    /** Reads a fragment (structure only: {@link #isValid()} says whether it belongs to its manifest). */
    public static Fragment decode(byte[] bytes) throws FragmentFormatException {
        if (bytes != null && bytes.length > MAX_ENCODED_BYTES) {
            throw new FragmentFormatException("fragment of " + bytes.length + " bytes exceeds " + MAX_ENCODED_BYTES);
        }
        return CborRecordReader.decodeCanonical(bytes, "fragment", FragmentFormatException.FAILURES, in -> {
            in.beginRecord(VERSION, "fragment");
            FragmentManifest manifest = FragmentManifest.decode(in.bytes(FragmentManifest.MAX_ENCODED_BYTES));
            int index = in.bounded("fragment index", 255);
            List<byte[]> proof = in.list(hash -> hash.exactBytes("proof hash", Sha256.BYTES), MAX_PROOF, "proof");
            byte[] data = in.bytes(FragmentManifest.MAX_OBJECT_BYTES);
            in.endArray();
            return new Fragment(manifest, index, proof, data);
        }, Fragment::encode);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fragment other) || index != other.index || !manifest.equals(other.manifest)
                || !Arrays.equals(data, other.data) || proof.size() != other.proof.size()) {
            return false;
        }
        for (int i = 0; i < proof.size(); i++) {
            if (!Arrays.equals(proof.get(i), other.proof.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, index, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Fragment(" + index + " of " + manifest + ", " + data.length + " bytes)";
    }
}
