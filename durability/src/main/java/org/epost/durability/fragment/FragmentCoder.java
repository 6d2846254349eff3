package org.epost.durability.fragment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.epost.durability.erasure.ErasureCodec;
import org.epost.durability.erasure.ErasureException;
import org.epost.durability.erasure.ReedSolomonCodec;
import org.epost.overlay.id.Id;

/** Turns an object into its n fragments with their manifest and proofs, and m verified fragments back into it. */
public final class FragmentCoder {
    private FragmentCoder() {
    }

    public static List<Fragment> encode(Id objectHandle, int kindCode, byte[] object, int n, int m) {
        ErasureCodec codec = new ReedSolomonCodec(m, n);
        List<byte[]> shares = codec.encode(object);
        MerkleTree.Built tree = MerkleTree.build(shares);
        FragmentManifest manifest = new FragmentManifest(objectHandle, kindCode, object.length, n, m, tree.root());
        List<Fragment> fragments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fragments.add(new Fragment(manifest, i, tree.proofs().get(i), shares.get(i)));
        }
        return fragments;
    }

    /**
     * The object of {@code manifest} from fragments of it: only valid fragments of exactly that manifest count, one
     * per index; the caller still verifies the object against its handle (a forged manifest with consistent
     * fragments decodes to something else).
     *
     * @throws ErasureException fewer than m such fragments
     */
    public static byte[] decode(FragmentManifest manifest, List<Fragment> fragments) throws ErasureException {
        Map<Integer, byte[]> shares = new HashMap<>();
        for (Fragment fragment : fragments) {
            if (fragment.manifest().equals(manifest) && fragment.isValid()) {
                shares.putIfAbsent(fragment.index(), fragment.data());
            }
        }
        if (shares.size() < manifest.m()) {
            throw new ErasureException(shares.size() + " valid fragments of " + manifest + ", " + manifest.m()
                + " needed");
        }
        return new ReedSolomonCodec(manifest.m(), manifest.n()).decode(shares, manifest.objectLength());
    }
}
