package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.epost.overlay.wire.CborRecordWriter;
import org.junit.jupiter.api.Test;

/** The RocksDB store's own record (used bytes): canonical, versioned CBOR; anything else is corruption. */
class UsageRecordTest {

    @Test
    void roundTripsDeterministically() {
        byte[] encoded = UsageRecord.encode(123_456);
        assertThat(encoded).isEqualTo(new CborRecordWriter(8).record(1, 1).number(123_456).end().toBytes());
        assertThat(UsageRecord.decode(encoded)).isEqualTo(123_456);
        assertThat(UsageRecord.decode(UsageRecord.encode(0))).isZero();
        assertThat(UsageRecord.encode(Long.MAX_VALUE)).hasSize(UsageRecord.MAX_ENCODED_BYTES);
        assertThat(UsageRecord.decode(UsageRecord.encode(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anythingButACanonicalRecordOfThisVersionIsCorruption() {
        byte[] good = UsageRecord.encode(4096);
        List<byte[]> bad = new ArrayList<>();
        for (int length = 0; length < good.length; length++) {
            bad.add(Arrays.copyOf(good, length));
        }
        bad.add(Arrays.copyOf(good, good.length + 1));
        byte[] otherVersion = good.clone();
        otherVersion[1] = 2;
        bad.add(otherVersion);
        bad.add(new CborRecordWriter(8).record(1, 1).number(-1).end().toBytes());
        byte[] longValue = {(byte) 0x82, 0x01, 0x1b, 0, 0, 0, 0, 0, 0, 0x10, 0x00}; // 4096 in eight bytes
        bad.add(longValue);
        byte[] beforeVersions = ByteBuffer.allocate(Long.BYTES).putLong(4096).array(); // the old counter
        bad.add(beforeVersions);
        bad.add(new byte[UsageRecord.MAX_ENCODED_BYTES + 1]);
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> UsageRecord.decode(bytes)).as("%s", Arrays.toString(bytes))
                .isInstanceOf(BlockStoreException.class).hasMessageContaining("Corrupt usage record");
        }
        assertThatThrownBy(() -> UsageRecord.decode(otherVersion))
            .hasMessageContaining("unknown usage record format version 2");
        assertThatThrownBy(() -> UsageRecord.decode(longValue)).hasMessageContaining("canonical");
    }
}
