package org.epost.post.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class PartReferenceTest {
    private static final Id HANDLE = Id.hash("top block");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 0x5a);
    }

    @Test
    void encodesCanonicallyIn62BytesAndDecodesBack() {
        for (PartReference.Layout layout : PartReference.Layout.values()) {
            for (boolean padded : new boolean[] {false, true}) {
                if (padded && layout == PartReference.Layout.MANIFEST) {
                    continue;
                }
                PartReference reference = new PartReference(HANDLE, KEY, 4000, layout, padded);
                byte[] encoded = reference.encode();
                assertThat(encoded).hasSize(PartReference.ENCODED_BYTES).hasSize(62);
                PartReference decoded = PartReference.decode(encoded);
                assertThat(decoded).isEqualTo(reference);
                assertThat(decoded.encode()).isEqualTo(encoded);
                assertThat(decoded.key()).isEqualTo(KEY);
            }
        }
    }

    @Test
    void theEncodingIsFixed() {
        PartReference reference = new PartReference(HANDLE, KEY, 5_000_000, PartReference.Layout.MANIFEST, false);
        assertThat(HexFormat.of().formatHex(reference.encode())).isEqualTo(
            "0101" + HANDLE.toHex() + "5a".repeat(32) + "00000000004c4b40");
        PartReference padded = new PartReference(HANDLE, KEY, 100, PartReference.Layout.SINGLE, true);
        assertThat(padded.encode()[1]).isEqualTo((byte) 2);
    }

    @Test
    void rejectsEverythingButCanonicalEncodings() {
        byte[] good = new PartReference(HANDLE, KEY, 4000, PartReference.Layout.SINGLE, false).encode();

        assertThatThrownBy(() -> PartReference.decode(null)).isInstanceOf(MalformedPartReferenceException.class);
        assertThatThrownBy(() -> PartReference.decode(new byte[0])).isInstanceOf(MalformedPartReferenceException.class)
            .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> PartReference.decode(Arrays.copyOf(good, 61)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("61 bytes");
        assertThatThrownBy(() -> PartReference.decode(Arrays.copyOf(good, 63)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("63 bytes");
        assertThatThrownBy(() -> PartReference.decode(with(good, 0, 2)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> PartReference.decode(with(good, 1, 4)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("flags");
        assertThatThrownBy(() -> PartReference.decode(with(good, 1, 3)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("padded part is always SINGLE");
        // size: negative (top bit set), beyond the maximum
        assertThatThrownBy(() -> PartReference.decode(with(good, 54, 0x80)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> PartReference.decode(with(good, 57, 0x40)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("size");
        // a padded part of 64 KiB or more; an empty manifest part
        byte[] bigPadded = new PartReference(HANDLE, KEY, 65_535, PartReference.Layout.SINGLE, true).encode();
        assertThat(PartReference.decode(bigPadded).size()).isEqualTo(65_535);
        assertThatThrownBy(() -> PartReference.decode(with(bigPadded, 59, 1)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("padded part is smaller");
        byte[] emptyManifest = with(new PartReference(HANDLE, KEY, 0, PartReference.Layout.SINGLE, false).encode(), 1, 1);
        assertThatThrownBy(() -> PartReference.decode(emptyManifest))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("empty part");
    }

    @Test
    void theKeyIsCopiedAndNeverPrinted() {
        byte[] key = KEY.clone();
        PartReference reference = new PartReference(HANDLE, key, 1, PartReference.Layout.SINGLE, true);
        key[0] = 0;
        reference.key()[1] = 0;
        assertThat(reference.key()).isEqualTo(KEY);
        assertThat(reference.toString()).contains(HANDLE.toHex()).doesNotContain("5a5a5a5a");
        assertThatThrownBy(() -> new PartReference(HANDLE, new byte[16], 1, PartReference.Layout.SINGLE, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    private static byte[] with(byte[] bytes, int offset, int value) {
        byte[] changed = bytes.clone();
        changed[offset] = (byte) value;
        return changed;
    }
}
