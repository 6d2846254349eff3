package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.glacier.store.InMemoryFragmentStore;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class LocalFragmentsTest {
    private final byte[] object = new byte[4000];
    private final List<Fragment> fragments = FragmentCoder.encode(Id.hash("object"), 1, object, 8, 2);

    @Test
    void boundedByBytesWithLongerLeasesOnlyExtending() {
        LocalFragments local = new LocalFragments(2500, new InMemoryFragmentStore());
        assertThat(local.put(fragments.get(0), new byte[1000], 50)).isEqualTo(LocalFragments.PutResult.STORED);
        assertThat(local.put(fragments.get(1), new byte[1000], 50)).isEqualTo(LocalFragments.PutResult.STORED);
        assertThat(local.put(fragments.get(2), new byte[1000], 50)).isEqualTo(LocalFragments.PutResult.FULL);
        assertThat(local.usedBytes()).isEqualTo(2000);
        assertThat(local.put(fragments.get(0), new byte[1000], 90)).isEqualTo(LocalFragments.PutResult.EXTENDED);
        assertThat(local.get(Id.hash("object"), 0).orElseThrow().expiry()).isEqualTo(90);
        assertThat(local.put(fragments.get(0), new byte[1000], 10)).isEqualTo(LocalFragments.PutResult.EXTENDED);
        assertThat(local.get(Id.hash("object"), 0).orElseThrow().expiry()).isEqualTo(90);
        local.remove(Id.hash("object"), 0);
        assertThat(local.usedBytes()).isEqualTo(1000);
        assertThat(local.contains(Id.hash("object"), 0)).isFalse();
        assertThat(local.put(fragments.get(2), new byte[1000], 50)).isEqualTo(LocalFragments.PutResult.STORED);
    }

    @Test
    void arcsWrapAroundTheRing() {
        LocalFragments local = new LocalFragments(1 << 20, new InMemoryFragmentStore());
        fragments.forEach(fragment -> local.put(fragment, new byte[100], 50));
        assertThat(local.count()).isEqualTo(8);
        Id zero = Id.of(new byte[Id.BYTES]);
        Id half = zero.add(BigInteger.ONE.shiftLeft(Id.BITS - 1));
        int firstHalf = local.inArc(zero, half).size();
        int secondHalf = local.inArc(half, zero).size();
        assertThat(firstHalf + secondHalf).isEqualTo(8);
        assertThat(firstHalf).isBetween(3, 5);
        assertThat(local.inArc(half, half)).hasSize(8);
    }

    @Test
    void walkProgressNeverStallsNorReverses() {
        Id a = Id.fromBigInteger(BigInteger.valueOf(100));
        Id b = Id.fromBigInteger(BigInteger.valueOf(200));
        Id mid = Id.fromBigInteger(BigInteger.valueOf(150));
        assertThat(Arcs.progress(a, b, mid)).isEqualTo(mid);
        assertThat(Arcs.progress(a, b, b)).isEqualTo(b);
        assertThat(Arcs.progress(a, b, a)).isEqualTo(b);
        assertThat(Arcs.progress(a, b, Id.fromBigInteger(BigInteger.valueOf(50)))).isEqualTo(b);
        assertThat(Arcs.progress(a, b, Id.fromBigInteger(BigInteger.valueOf(250)))).isEqualTo(b);
        assertThat(Arcs.progress(a, a, mid)).isEqualTo(mid);
    }
}
