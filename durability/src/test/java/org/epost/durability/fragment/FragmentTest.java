package org.epost.durability.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.epost.durability.erasure.ErasureException;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class FragmentTest {
    private final Random random = new Random(14);

    private byte[] object(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void anyMValidFragmentsRebuildTheObject() throws Exception {
        byte[] object = object(100_003);
        Id handle = Id.hash(object);
        List<Fragment> fragments = FragmentCoder.encode(handle, 1, object, 200, 45);
        assertThat(fragments).hasSize(200).allMatch(Fragment::isValid);
        assertThat(fragments.get(0).dataLength()).isEqualTo((100_003 + 44) / 45);
        for (int round = 0; round < 3; round++) {
            List<Fragment> shuffled = new ArrayList<>(fragments);
            Collections.shuffle(shuffled, random);
            assertThat(FragmentCoder.decode(fragments.get(0).manifest(), shuffled.subList(0, 45))).isEqualTo(object);
        }
        assertThatThrownBy(() -> FragmentCoder.decode(fragments.get(0).manifest(), fragments.subList(0, 44)))
            .isInstanceOf(ErasureException.class);
    }

    @Test
    void encodingIsDeterministicSoHonestEncodersAgreeOnTheManifest() {
        byte[] object = object(5000);
        Id handle = Id.hash(object);
        assertThat(FragmentCoder.encode(handle, 1, object, 20, 4))
            .isEqualTo(FragmentCoder.encode(handle, 1, object.clone(), 20, 4));
    }

    @Test
    void forgedBytesWrongIndexAndForeignProofsAreDetectedByAHolderAlone() {
        byte[] object = object(9000);
        List<Fragment> fragments = FragmentCoder.encode(Id.hash(object), 1, object, 16, 4);
        Fragment good = fragments.get(5);
        byte[] flipped = good.data();
        flipped[17] ^= 1;
        assertThat(new Fragment(good.manifest(), 5, good.proof(), flipped).isValid()).isFalse();
        // Genuine bytes under another index (a holder swapping fragments) do not verify.
        assertThat(new Fragment(good.manifest(), 6, good.proof(), good.data()).isValid()).isFalse();
        assertThat(new Fragment(good.manifest(), 6, fragments.get(6).proof(), good.data()).isValid()).isFalse();
        // An index beyond n, a short proof, a truncated share.
        assertThat(new Fragment(good.manifest(), 16, good.proof(), good.data()).isValid()).isFalse();
        assertThat(new Fragment(good.manifest(), 5, good.proof().subList(0, 3), good.data()).isValid()).isFalse();
        assertThat(new Fragment(good.manifest(), 5, good.proof(), Arrays.copyOf(good.data(), 10)).isValid())
            .isFalse();
        // The same bytes under a manifest of another root.
        FragmentManifest other = new FragmentManifest(good.manifest().objectHandle(), 1, 9000, 16, 4, new byte[32]);
        assertThat(new Fragment(other, 5, good.proof(), good.data()).isValid()).isFalse();
    }

    @Test
    void decodeIgnoresForgedFragmentsAndOtherManifests() throws Exception {
        byte[] object = object(7777);
        List<Fragment> fragments = FragmentCoder.encode(Id.hash(object), 1, object, 12, 3);
        FragmentManifest manifest = fragments.get(0).manifest();
        byte[] garbage = object(fragments.get(0).dataLength());
        List<Fragment> offered = new ArrayList<>();
        offered.add(new Fragment(manifest, 0, fragments.get(0).proof(), garbage));
        offered.add(new Fragment(manifest, 1, fragments.get(1).proof(), garbage));
        // A forger's consistent set under its own manifest for the same handle.
        byte[] fake = object(7777);
        offered.addAll(FragmentCoder.encode(manifest.objectHandle(), 1, fake, 12, 3).subList(0, 5));
        offered.addAll(fragments.subList(9, 12));
        assertThat(FragmentCoder.decode(manifest, offered)).isEqualTo(object);
        assertThatThrownBy(() -> FragmentCoder.decode(manifest, offered.subList(0, 9)))
            .isInstanceOf(ErasureException.class);
    }

    @Test
    void canonicalCborRoundTripAndMalformedInputRefused() throws Exception {
        byte[] object = object(3000);
        Fragment fragment = FragmentCoder.encode(Id.hash(object), 1, object, 10, 4).get(3);
        byte[] encoded = fragment.encode();
        assertThat(encoded[0] & 0xff).isEqualTo(0x85);
        assertThat(encoded[1]).isEqualTo((byte) Fragment.VERSION);
        Fragment decoded = Fragment.decode(encoded);
        assertThat(decoded).isEqualTo(fragment);
        assertThat(decoded.isValid()).isTrue();
        assertThat(FragmentManifest.decode(fragment.manifest().encode())).isEqualTo(fragment.manifest());

        List<byte[]> bad = new ArrayList<>();
        for (int length = 0; length < encoded.length; length += 37) {
            bad.add(Arrays.copyOf(encoded, length));
        }
        bad.add(Arrays.copyOf(encoded, encoded.length - 1));
        bad.add(Arrays.copyOf(encoded, encoded.length + 1));
        byte[] version2 = encoded.clone();
        version2[1] = 2;
        bad.add(version2);
        byte[] version0 = encoded.clone();
        version0[1] = 0;
        bad.add(version0);
        bad.add(object(200));
        bad.add(null);
        for (byte[] input : bad) {
            assertThatThrownBy(() -> Fragment.decode(input)).isInstanceOf(FragmentFormatException.class);
        }
        assertThatThrownBy(() -> Fragment.decode(new byte[Fragment.MAX_ENCODED_BYTES + 1]))
            .isInstanceOf(FragmentFormatException.class).hasMessageContaining("exceeds");
        byte[] manifest = fragment.manifest().encode();
        assertThatThrownBy(() -> FragmentManifest.decode(Arrays.copyOf(manifest, manifest.length - 1)))
            .isInstanceOf(FragmentFormatException.class);
    }

    @Test
    void manifestRefusesImpossibleCodes() {
        Id handle = Id.hash("x");
        assertThatThrownBy(() -> new FragmentManifest(handle, 1, 10, 4, 4, new byte[32]))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FragmentManifest(handle, 1, -1, 8, 4, new byte[32]))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FragmentManifest(handle, 1, 10, 8, 4, new byte[31]))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FragmentManifest(handle, 1, FragmentManifest.MAX_OBJECT_BYTES + 1, 8, 4,
            new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void positionsAreEvenlySpacedAroundTheRing() {
        Id handle = Id.hash("object");
        Set<Id> positions = new HashSet<>();
        BigInteger spacing = FragmentPlacement.spacing(200);
        for (int i = 0; i < 200; i++) {
            Id position = FragmentPlacement.position(handle, i, 200);
            positions.add(position);
            assertThat(position.clockwiseDistanceTo(FragmentPlacement.position(handle, (i + 1) % 200, 200)))
                .isBetween(spacing.subtract(BigInteger.valueOf(200)), spacing.add(BigInteger.valueOf(200)));
        }
        assertThat(positions).hasSize(200);
        assertThat(FragmentPlacement.position(handle, 0, 200)).isNotEqualTo(handle)
            .isEqualTo(FragmentPlacement.base(handle));
        assertThatThrownBy(() -> FragmentPlacement.position(handle, 200, 200))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
