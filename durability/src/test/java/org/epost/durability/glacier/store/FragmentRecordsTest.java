package org.epost.durability.glacier.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

/** The store's own records: one canonical encoding each, anything else is reported as corruption. */
class FragmentRecordsTest {

    @Test
    void recordsAndKeysRoundTrip() {
        FragmentMeta meta = new FragmentMeta(1_700_000_000_000L, 48, 12_345);
        assertThat(FragmentMeta.decode(meta.encode())).isEqualTo(meta);
        FragmentKey key = new FragmentKey(Id.hash("x"), 47);
        assertThat(FragmentKey.fromBytes(key.toBytes())).isEqualTo(key);
    }

    @Test
    void corruptRecordsAndKeysAreErrors() {
        byte[] good = new FragmentMeta(5, 48, 100).encode();
        byte[] otherVersion = good.clone();
        otherVersion[1] = 2;
        assertThatThrownBy(() -> FragmentMeta.decode(otherVersion))
            .isInstanceOf(FragmentStoreException.class).hasMessageContaining("Corrupt fragment record");
        assertThatThrownBy(() -> FragmentMeta.decode(new byte[40]))
            .isInstanceOf(FragmentStoreException.class).hasMessageContaining("Corrupt fragment record");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> FragmentMeta.decode(truncated)).isInstanceOf(FragmentStoreException.class);
        assertThatThrownBy(() -> FragmentKey.fromBytes(new byte[7]))
            .isInstanceOf(FragmentStoreException.class).hasMessageContaining("Corrupt fragment key");
        assertThatThrownBy(() -> new FragmentMeta(5, 0, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
