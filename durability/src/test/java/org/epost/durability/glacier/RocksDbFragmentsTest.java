package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.glacier.store.FragmentKey;
import org.epost.durability.glacier.store.FragmentMeta;
import org.epost.durability.glacier.store.RocksDbFragmentStore;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fragments on disk: they, their leases and the quota survive a restart; rot is found when read. */
class RocksDbFragmentsTest {
    private static final Id OBJECT = Id.hash("object");
    private final byte[] object = new byte[20_000];
    private final List<Fragment> fragments = FragmentCoder.encode(OBJECT, 1, object, 8, 2);

    @TempDir
    Path directory;

    @Test
    void fragmentsLeasesAndQuotaSurviveARestart() throws Exception {
        int size = fragments.get(0).encode().length;
        try (RocksDbFragmentStore store = RocksDbFragmentStore.open(directory)) {
            LocalFragments local = new LocalFragments(3L * size, store);
            for (int i = 0; i < 3; i++) {
                assertThat(local.put(fragments.get(i), fragments.get(i).encode(), 50))
                    .isEqualTo(LocalFragments.PutResult.STORED);
            }
            assertThat(local.put(fragments.get(0), fragments.get(0).encode(), 90))
                .isEqualTo(LocalFragments.PutResult.EXTENDED);
            local.remove(OBJECT, 2);
            // What the store acknowledges as durable is synced: the future completes only after the log's fsync.
            store.whenDurable().get(1, TimeUnit.MINUTES);
        }
        try (RocksDbFragmentStore store = RocksDbFragmentStore.open(directory)) {
            LocalFragments local = new LocalFragments(3L * size, store);
            assertThat(local.count()).isEqualTo(2);
            assertThat(local.usedBytes()).isEqualTo(2L * size);
            assertThat(local.get(OBJECT, 0).orElseThrow().expiry()).isEqualTo(90);
            assertThat(local.get(OBJECT, 1).orElseThrow().n()).isEqualTo(8);
            assertThat(local.contains(OBJECT, 2)).isFalse();
            assertThat(local.read(OBJECT, 1)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(fragments.get(1).encode()));
            assertThat(local.put(fragments.get(3), fragments.get(3).encode(), 50)).isEqualTo(LocalFragments.PutResult.STORED);
            assertThat(local.put(fragments.get(4), fragments.get(4).encode(), 50)).isEqualTo(LocalFragments.PutResult.FULL);
        }
    }

    @Test
    void aFragmentThatRottedOnDiskIsDroppedWhenRead() throws Exception {
        try (RocksDbFragmentStore store = RocksDbFragmentStore.open(directory)) {
            LocalFragments local = new LocalFragments(1 << 20, store);
            local.put(fragments.get(0), fragments.get(0).encode(), 50);
            local.put(fragments.get(1), fragments.get(1).encode(), 50);
            // A flipped bit in the data: still well-formed, but its hash-tree proof fails.
            byte[] rotten = fragments.get(1).encode();
            rotten[rotten.length - 1] ^= 1;
            FragmentKey key = new FragmentKey(OBJECT, 1);
            store.put(key, new FragmentMeta(50, 8, rotten.length), rotten);
            // Another fragment's bytes under this key: valid, but not the fragment asked for.
            store.put(new FragmentKey(OBJECT, 0), new FragmentMeta(50, 8, rotten.length), fragments.get(2).encode());

            assertThat(local.read(OBJECT, 1)).isEmpty();
            assertThat(local.read(OBJECT, 0)).isEmpty();
            assertThat(local.corruptDropped()).isEqualTo(2);
            assertThat(local.count()).isZero();
            assertThat(local.usedBytes()).isZero();
            assertThat(store.read(key)).isEmpty();
        }
    }
}
