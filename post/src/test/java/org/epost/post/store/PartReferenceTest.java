package org.epost.post.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.junit.jupiter.api.Test;

class PartReferenceTest {
    private static final Id HANDLE = Id.hash("top block");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 0x5a);
    }

    @Test
    void encodesCanonicallyInAtMost64BytesAndDecodesBack() {
        for (PartReference.Layout layout : PartReference.Layout.values()) {
            for (boolean padded : new boolean[] {false, true}) {
                if (padded && layout == PartReference.Layout.MANIFEST) {
                    continue;
                }
                PartReference reference = new PartReference(HANDLE, KEY, 4000, layout, padded);
                byte[] encoded = reference.encode();
                assertThat(encoded).hasSize(PartReference.MAX_ENCODED_BYTES - 2).hasSizeLessThanOrEqualTo(64);
                PartReference decoded = PartReference.decode(encoded);
                assertThat(decoded).isEqualTo(reference);
                assertThat(decoded.encode()).isEqualTo(encoded);
                assertThat(decoded.key()).isEqualTo(KEY);
            }
        }
        PartReference largest = new PartReference(HANDLE, KEY, PartReference.MAX_SIZE, PartReference.Layout.MANIFEST,
            false);
        assertThat(largest.encode()).hasSize(PartReference.MAX_ENCODED_BYTES).hasSize(64);
        assertThat(PartReference.decode(largest.encode())).isEqualTo(largest);
        assertThat(new PartReference(HANDLE, KEY, 4000, PartReference.Layout.SINGLE, false).encode())
            .as("deterministic").isEqualTo(new PartReference(HANDLE, KEY.clone(), 4000, PartReference.Layout.SINGLE,
                false).encode());
    }

    @Test
    void theEncodingIsFixed() {
        PartReference reference = new PartReference(HANDLE, KEY, 5_000_000, PartReference.Layout.MANIFEST, false);
        // [1, 1 (MANIFEST), 0 (not padded), h'handle', h'key', 5000000]
        assertThat(HexFormat.of().formatHex(reference.encode())).isEqualTo(
            "86" + "01" + "01" + "00" + "54" + HANDLE.toHex() + "5820" + "5a".repeat(32) + "1a004c4b40");
        PartReference padded = new PartReference(HANDLE, KEY, 100, PartReference.Layout.SINGLE, true);
        assertThat(HexFormat.of().formatHex(padded.encode())).startsWith("86010001").endsWith("1864");
    }

    @Test
    void rejectsEverythingButCanonicalEncodings() {
        byte[] good = new PartReference(HANDLE, KEY, 4000, PartReference.Layout.SINGLE, false).encode();

        assertThatThrownBy(() -> PartReference.decode(null)).isInstanceOf(MalformedPartReferenceException.class);
        for (byte[] prefix : RecordEncodings.truncations(good)) {
            assertThatThrownBy(() -> PartReference.decode(prefix)).as("%d bytes", prefix.length)
                .isInstanceOf(MalformedPartReferenceException.class);
        }
        for (byte[] garbage : RecordEncodings.garbage()) {
            assertThatThrownBy(() -> PartReference.decode(garbage)).isInstanceOf(MalformedPartReferenceException.class);
        }
        assertThatThrownBy(() -> PartReference.decode(RecordEncodings.trailing(good)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> PartReference.decode(new byte[PartReference.MAX_ENCODED_BYTES + 1]))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("65 bytes");
        assertThatThrownBy(() -> PartReference.decode(RecordEncodings.withVersion(good, 2)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> PartReference.decode(RecordEncodings.nonMinimalVersion(good)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> PartReference.decode(RecordEncodings.indefiniteLength(good)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("canonical");
        // layout and padded: only 0 or 1; a padded MANIFEST
        assertThatThrownBy(() -> PartReference.decode(with(good, 2, 2)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("layout");
        assertThatThrownBy(() -> PartReference.decode(with(good, 3, 2)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("padded");
        assertThatThrownBy(() -> PartReference.decode(with(with(good, 2, 1), 3, 1)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("padded part is always SINGLE");
        // a short handle or key
        assertThatThrownBy(() -> PartReference.decode(encode(1, 0, false, new byte[19], KEY, 4000)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("handle");
        assertThatThrownBy(() -> PartReference.decode(encode(1, 0, false, HANDLE.toBytes(), new byte[31], 4000)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("key");
        // size: negative, beyond the maximum
        assertThatThrownBy(() -> PartReference.decode(encode(1, 0, false, HANDLE.toBytes(), KEY, -1)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> PartReference.decode(encode(1, 0, false, HANDLE.toBytes(), KEY,
            PartReference.MAX_SIZE + 1))).isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("size");
        // a padded part of 64 KiB or more; an empty manifest part
        byte[] bigPadded = new PartReference(HANDLE, KEY, 65_535, PartReference.Layout.SINGLE, true).encode();
        assertThat(PartReference.decode(bigPadded).size()).isEqualTo(65_535);
        assertThatThrownBy(() -> PartReference.decode(encode(1, 0, true, HANDLE.toBytes(), KEY, 65_536)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("padded part is smaller");
        assertThatThrownBy(() -> PartReference.decode(encode(1, 1, false, HANDLE.toBytes(), KEY, 0)))
            .isInstanceOf(MalformedPartReferenceException.class).hasMessageContaining("empty part");
        // the fields in another type (a text handle)
        byte[] textHandle = new CborRecordWriter(64).record(1, 5).number(0).bool(false).text("h").bytes(KEY)
            .number(1).end().toBytes();
        assertThatThrownBy(() -> PartReference.decode(textHandle)).isInstanceOf(MalformedPartReferenceException.class);
    }

    private static byte[] encode(int version, int layout, boolean padded, byte[] handle, byte[] key, long size) {
        return new CborRecordWriter(64).record(version, 5).number(layout).bool(padded).bytes(handle).bytes(key)
            .number(size).end().toBytes();
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
