package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RocksDbBlockStoreTest extends BlockStoreContract {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbBlockStoreTest.class);

    @TempDir
    Path root;
    private int stores;

    @Override
    protected BlockStore createStore(StoreConfig config) {
        return RocksDbBlockStore.open(root.resolve("store-" + stores++), verifier, clock, config);
    }

    private BlockStore reopen(Path directory, long quota) {
        return RocksDbBlockStore.open(directory, verifier, clock, new StoreConfig(quota, MAX_LEASE, SKEW));
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        Path directory = root.resolve("node");
        ContentHashBlock kept = content("kept");
        ContentHashBlock deleted = content("deleted");
        PublicKeyBlock v1 = PublicKeyBlock.sign(owner, "identity", 1, new byte[] {1});
        PublicKeyBlock v2 = PublicKeyBlock.sign(owner, "identity", 2, new byte[] {2, 2});
        long used;
        try (BlockStore store = reopen(directory, 1 << 20)) {
            store.put(kept.handle(), kept.encoded(), NOW + DAY);
            store.put(deleted.handle(), deleted.encoded(), NOW + DAY);
            store.put(v1.handle(), v1.encoded(), NOW + DAY);
            store.put(v2.handle(), v2.encoded(), NOW + DAY);
            store.extendLease(kept.key(), NOW + 3 * DAY);
            store.delete(deleted.key());
            used = store.usedBytes();
        }

        try (BlockStore store = reopen(directory, 1 << 20)) {
            assertThat(store.get(kept.key()).orElseThrow().encoded()).isEqualTo(kept.encoded());
            assertThat(store.get(kept.key()).orElseThrow().leaseExpiry()).isEqualTo(NOW + 3 * DAY);
            assertThat(store.contains(deleted.key())).isFalse();
            assertThat(store.get(v2.key()).orElseThrow().version()).isEqualTo(2);
            assertThat(store.usedBytes()).isEqualTo(used).isEqualTo(
                    BlockStore.accountedBytes(kept.encodedLength()) + BlockStore.accountedBytes(v2.encodedLength()));
            assertThat(store.put(v1.handle(), v1.encoded(), NOW + DAY)).isSameAs(StoreResult.STALE);

            clock.set(NOW + DAY + SKEW + 1);
            assertThat(store.collectExpired()).containsExactly(v2.key());
        }
    }

    @Test
    void theQuotaHoldsAcrossRestarts() {
        Path directory = root.resolve("node");
        ContentHashBlock a = content(new byte[3000], 1);
        ContentHashBlock b = content(new byte[3000], 2);
        long quota = BlockStore.accountedBytes(a.encodedLength()) + 100;
        try (BlockStore store = reopen(directory, quota)) {
            assertThat(store.put(a.handle(), a.encoded(), NOW + DAY).isStored()).isTrue();
        }
        try (BlockStore store = reopen(directory, quota)) {
            assertThat(store.put(b.handle(), b.encoded(), NOW + DAY)).isSameAs(StoreResult.FULL);
            store.delete(a.key());
        }
        try (BlockStore store = reopen(directory, quota)) {
            assertThat(store.usedBytes()).isZero();
            assertThat(store.put(b.handle(), b.encoded(), NOW + DAY).isStored()).isTrue();
        }
    }

    @Test
    void holdsMegabyteBlocksAcrossReopen() {
        Path directory = root.resolve("node");
        Random random = new Random(7);
        try (BlockStore store = reopen(directory, 64L << 20)) {
            Id last = null;
            for (int i = 0; i < 24; i++) {
                byte[] bytes = new byte[1 << 20];
                random.nextBytes(bytes);
                ContentHashBlock block = ContentHashBlock.of(bytes);
                assertThat(store.put(block.handle(), block.encoded(), NOW + DAY).isStored()).isTrue();
                last = block.handle();
            }
            assertThat(store.get(new BlockKey(last, BlockKind.CONTENT_HASH))).isPresent();
        }
        try (BlockStore store = reopen(directory, 64L << 20)) {
            assertThat(handlesInRange(store, Id.of(new byte[Id.BYTES]),
                    Id.fromHex("ffffffffffffffffffffffffffffffffffffffff"))).hasSize(24);
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        BlockStore store = store(1 << 20);
        store.close();

        assertThatThrownBy(() -> store.contains(content("x").key())).isInstanceOf(IllegalStateException.class);
    }

    /** Logs the latency of synced 64 KiB puts (a figure for the report); asserts only that they were stored. */
    @Test
    void measuresSyncedPutLatency() {
        BlockStore store = store(64L << 20);
        Random random = new Random(64);
        int count = 100;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[64 << 10];
            random.nextBytes(bytes);
            ContentHashBlock block = ContentHashBlock.of(bytes);
            assertThat(store.put(block.handle(), block.encoded(), NOW + DAY).isStored()).isTrue();
        }
        long micros = (System.nanoTime() - started) / 1000 / count;
        LOG.info("Synced 64 KiB put (verify + write + fsync): {} us on average over {}", micros, count);
        assertThat(store.usedBytes()).isEqualTo(count * BlockStore.accountedBytes(
                ContentHashBlock.of(new byte[64 << 10]).encodedLength()));
    }

    @Test
    void rejectionsLeaveNoTraceOnDisk() {
        Path directory = root.resolve("node");
        PublicKeyBlock v1 = PublicKeyBlock.sign(owner, "identity", 1, new byte[] {1});
        PublicKeyBlock forged = PublicKeyBlock.sign(ed25519(), "identity", 9, new byte[] {9});
        try (BlockStore store = reopen(directory, 1 << 20)) {
            store.put(v1.handle(), v1.encoded(), NOW + DAY);
            assertThat(store.put(v1.handle(), forged.encoded(), NOW + DAY).reason())
                    .contains(RejectionReason.WRONG_HANDLE);
        }
        try (BlockStore store = reopen(directory, 1 << 20)) {
            assertThat(store.get(v1.key()).orElseThrow().encoded()).isEqualTo(v1.encoded());
            assertThat(handlesInRange(store, v1.handle(), v1.handle())).isEqualTo(List.of(v1.handle()));
        }
    }

    @Test
    void aStoreOfAnotherFormatIsRefusedWhenOpened() throws Exception {
        Path directory = root.resolve("node");
        ContentHashBlock kept = content("kept");
        try (BlockStore store = reopen(directory, 1 << 20)) {
            store.put(kept.handle(), kept.encoded(), NOW + DAY);
        }
        byte[] laterFormat = UsageRecord.encode(4096);
        laterFormat[1] = 2;
        byte[] beforeFormatVersions = ByteBuffer.allocate(Long.BYTES).putLong(4096).array();
        for (byte[] usage : List.of(laterFormat, beforeFormatVersions)) {
            overwriteUsageRecord(directory, usage);

            for (int attempt = 0; attempt < 2; attempt++) { // the refusal leaves the directory free to open again
                assertThatThrownBy(() -> reopen(directory, 1 << 20)).isInstanceOf(BlockStoreException.class)
                        .hasMessageContaining("Corrupt usage record").hasMessageContaining("recreate it");
            }
        }
        overwriteUsageRecord(directory, UsageRecord.encode(4096));
        try (BlockStore store = reopen(directory, 1 << 20)) {
            assertThat(store.usedBytes()).isEqualTo(4096);
            assertThat(store.get(kept.key())).isPresent();
        }
    }

    /** Writes {@code value} as the store's usage record, with RocksDB directly. */
    private static void overwriteUsageRecord(Path directory, byte[] value) throws Exception {
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        for (String name : List.of("default", "blocks", "entries", "expiry")) {
            families.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.open(options, directory.toString(), families, handles)) {
            db.put(handles.get(0), "used-bytes".getBytes(StandardCharsets.US_ASCII), value);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
