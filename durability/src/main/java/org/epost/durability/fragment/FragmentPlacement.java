package org.epost.durability.fragment;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.epost.overlay.id.Id;

/**
 * Where fragment i of an object lives: the node closest to {@code base + i * 2^160 / n}, base = H("glacier" ||
 * handle). The n positions are evenly spaced around the ring (Glacier's own placement) rather than each hashed on
 * its own, for two reasons. Audits stay cheap: the node holding fragments in a key range R holds index i of exactly
 * the objects whose index i + j lies in R + j * 2^160 / n, so one query to the node at that mirrored range
 * compares a whole range of objects at once. And a contiguous run of failed nodes covering a fraction f of the
 * ring takes at most about f * n positions of any object, where hashed positions would lose a binomial number. The
 * base is hashed so that fragment 0 does not sit with the PAST replicas of the object.
 */
public final class FragmentPlacement {
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(Id.BITS);
    private static final byte[] DOMAIN = "glacier".getBytes(StandardCharsets.US_ASCII);

    private FragmentPlacement() {
    }

    public static Id base(Id objectHandle) {
        byte[] handle = objectHandle.toBytes();
        byte[] input = new byte[DOMAIN.length + handle.length];
        System.arraycopy(DOMAIN, 0, input, 0, DOMAIN.length);
        System.arraycopy(handle, 0, input, DOMAIN.length, handle.length);
        return Id.hash(input);
    }

    /** The spacing of an n-fragment object's positions: 2^160 / n. */
    public static BigInteger spacing(int n) {
        return RING.divide(BigInteger.valueOf(n));
    }

    public static Id position(Id objectHandle, int index, int n) {
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("index " + index + " outside 0.." + (n - 1));
        }
        return base(objectHandle).add(spacing(n).multiply(BigInteger.valueOf(index)));
    }
}
