package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.epost.overlay.wire.CborRecordWriter;
import org.junit.jupiter.api.Test;

/** The store's per-entry record: canonical, versioned CBOR; anything else is corruption. */
class EntryMetaTest {
    private final EntryMeta meta = new EntryMeta(7, 1_700_000_000_000L, Long.MAX_VALUE, 1 << 20);

    @Test
    void roundTripsDeterministically() {
        byte[] encoded = meta.encode();
        assertThat(encoded).isEqualTo(new CborRecordWriter(40).record(1, 4).number(7).number(1_700_000_000_000L)
            .number(Long.MAX_VALUE).number(1 << 20).end().toBytes());
        assertThat(EntryMeta.decode(encoded)).isEqualTo(meta);
        assertThat(meta.withLease(5).encode()).isEqualTo(new EntryMeta(7, 5, Long.MAX_VALUE, 1 << 20).encode());
        EntryMeta largest = new EntryMeta(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(largest.encode()).hasSizeLessThanOrEqualTo(EntryMeta.MAX_ENCODED_BYTES);
        assertThat(EntryMeta.decode(largest.encode())).isEqualTo(largest);
    }

    @Test
    void anythingButACanonicalRecordIsCorruption() {
        byte[] good = meta.encode();
        List<byte[]> bad = new ArrayList<>();
        for (int length = 0; length < good.length; length++) {
            bad.add(Arrays.copyOf(good, length));
        }
        bad.add(Arrays.copyOf(good, good.length + 1));
        byte[] otherVersion = good.clone();
        otherVersion[1] = 2;
        bad.add(otherVersion);
        byte[] longVersion = new byte[good.length + 1];
        longVersion[0] = good[0];
        longVersion[1] = 0x18;
        System.arraycopy(good, 1, longVersion, 2, good.length - 1);
        bad.add(longVersion);
        bad.add(new CborRecordWriter(40).record(1, 4).number(0).number(0).number(0).number(-1).end().toBytes());
        bad.add(new byte[32]);
        bad.add(new byte[EntryMeta.MAX_ENCODED_BYTES + 1]);
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> EntryMeta.decode(bytes)).as("%d bytes", bytes.length)
                .isInstanceOf(BlockStoreException.class).hasMessageContaining("Corrupt entry record");
        }
        assertThatThrownBy(() -> EntryMeta.decode(otherVersion)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> EntryMeta.decode(longVersion)).hasMessageContaining("canonical");
    }
}
