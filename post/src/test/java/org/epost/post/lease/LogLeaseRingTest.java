package org.epost.post.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.testing.PastRing;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogOpener;
import org.epost.post.log.LogRecord;
import org.epost.post.log.LogReducer;
import org.epost.post.log.LogView;
import org.epost.post.log.LogWriter;
import org.epost.post.testing.RingBlockService;
import org.junit.jupiter.api.Test;

/**
 * A folder log kept alive by the lease refresher on a simulated ring: the blocks {@link LogOpener#referencedBlocks}
 * lists survive many leases and the log still replays in full; the partial clusters and old snapshots the writer
 * superseded expire.
 */
class LogLeaseRingTest {
    private static final long MINUTE = 60_000;
    private static final long LEASE = 60 * MINUTE;
    private static final long SKEW = StoreConfig.DEFAULT_CLOCK_SKEW_MILLIS;
    private static final String LABEL = "folder:INBOX";

    /** Counts records. */
    private static final class Count implements LogReducer<Long> {
        @Override
        public Long initial() {
            return 0L;
        }

        @Override
        public Long reduce(Long state, LogRecord record) {
            return state + 1;
        }

        @Override
        public byte[] encode(Long state) {
            return ByteBuffer.allocate(8).putLong(state).array();
        }

        @Override
        public Long decode(byte[] bytes) {
            return ByteBuffer.wrap(bytes).getLong();
        }
    }

    @Test
    void aRefreshedLogOutlivesManyLeasesAndItsSupersededBlocksExpire() throws Exception {
        PastRing ring = new PastRing(16, 41);
        KeyPair signing = Signatures.generateKeyPair();
        KeyPair encryption = SealedBox.generateKeyPair();
        LogConfig defaults = LogConfig.defaults();
        LogConfig config = new LogConfig(4, 16, 10 * MINUTE, 2 * MINUTE, LEASE, defaults.maxBlockBytes(),
            ring.scheduler()::now, defaults.metrics());
        RingBlockService owner = new RingBlockService(ring.live().get(0), ring::settle);
        Count reducer = new Count();
        int records = 50;
        try (LogWriter<Long> writer = LogWriter.open(owner, new InMemoryLogViewStore(), config, signing, encryption,
                LABEL, reducer)) {
            for (int i = 0; i < records; i++) {
                writer.append(1, ("record " + i).getBytes());
            }
        }
        List<BlockKey> referenced = new LogOpener(owner, new InMemoryLogViewStore())
            .referencedBlocks(signing.getPublic(), LABEL, encryption);
        int clusters = (records + 3) / 4;
        // head + 13 clusters + the snapshot at 48 records (its state is inline)
        assertThat(referenced).hasSize(1 + clusters + 1);
        assertThat(referenced.get(0).kind()).isEqualTo(BlockKind.PUBLIC_KEY);
        Set<BlockKey> superseded = new LinkedHashSet<>(owner.insertedKeys());
        superseded.removeAll(referenced);
        assertThat(superseded).as("partial clusters and older snapshots the writer replaced").isNotEmpty();

        LeaseConfig leases = new LeaseConfig(LEASE, 20 * MINUTE, 2 * MINUTE, 8);
        LeaseRefresher refresher = new LeaseRefresher(new PastBlockService(ring.live().get(0)), null,
            ReferenceSource.ofBlocks(() -> referenced), ring.scheduler(), leases);
        refresher.start();
        ring.runFor(6 * LEASE + SKEW);

        for (BlockKey key : referenced) {
            assertThat(ring.holders(key)).as("holders of referenced %s", key).hasSize(PastRing.K);
        }
        for (BlockKey key : superseded) {
            assertThat(ring.holders(key)).as("holders of superseded %s", key).isEmpty();
        }
        assertThat(refresher.failedTotal()).isZero();
        refresher.close();

        LogView<Long> full = new LogOpener(new RingBlockService(ring.live().get(9), ring::settle), new InMemoryLogViewStore())
            .replayAll(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(full.state()).isEqualTo(records);
        assertThat(full.recordCount()).isEqualTo(records);
    }
}
