package org.epost.post.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.testing.PastRing;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.RingBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder log on a 30-node simulated PAST ring: written from the owner's peer, opened and rebuilt on another. */
class LogPastRingTest {
    private static final String LABEL = "folder:INBOX";
    private static final int M = 64;
    private static final int S = 1024;
    private static final int K = 3;

    @Test
    void fiveThousandRecordsOnTheSimulatedRing(@TempDir Path dir) throws Exception {
        PastRing ring = new PastRing(30, 7);
        KeyPair signing = Signatures.generateKeyPair();
        KeyPair encryption = SealedBox.generateKeyPair();
        LogConfig config = LogConfig.defaults().withRecordsPerCluster(M).withSnapshotInterval(S)
            .withClock(ring.scheduler()::now);
        KeyedCountReducer reducer = new KeyedCountReducer();
        RingBlockService ownerPeer = new RingBlockService(ring.live().get(0), ring::await);
        RingBlockService otherPeer = new RingBlockService(ring.live().get(11), ring::await);
        RingBlockService auditPeer = new RingBlockService(ring.live().get(23), ring::await);

        int total = 5000;
        int batchSize = 10;
        LogWriter<KeyedCountReducer.State> writer = LogWriter.open(ownerPeer, new InMemoryLogViewStore(), config,
            signing, encryption, LABEL, reducer);
        long started = System.nanoTime();
        long virtualStart = ring.scheduler().now();
        for (int i = 0; i < total; i += batchSize) {
            List<LogEntry> entries = new ArrayList<>();
            for (int j = i; j < i + batchSize; j++) {
                entries.add(j % 31 == 7 ? KeyedCountReducer.delete("k" + (j % 200)) : KeyedCountReducer.increment("k" + (j % 200)));
            }
            writer.append(entries);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long virtualMillis = ring.scheduler().now() - virtualStart;
        LogTest.report("ring append: %,d records in batches of %d: %.1f s wall (%,.0f records/s), %.1f virtual ms per commit, %,d blocks stored",
            total, batchSize, seconds, total / seconds, virtualMillis / (double) (total / batchSize), writer.blocksStored());
        assertThat(ring.holders(new BlockKey(writer.headHandle(), BlockKind.PUBLIC_KEY))).hasSize(K);
        assertThat(ring.holders(new BlockKey(writer.head().newestCluster(), BlockKind.CONTENT_HASH))).hasSize(K);
        assertThat(ring.holders(new BlockKey(writer.head().snapshot(), BlockKind.CONTENT_HASH))).hasSize(K);

        // another peer holding the owner's keys, with an empty cache: head + snapshot + 15 tail clusters
        FileLogViewStore views = new FileLogViewStore(dir);
        LogOpener opener = new LogOpener(otherPeer, views);
        LogView<KeyedCountReducer.State> view = opener.open(signing.getPublic(), LABEL, encryption, reducer);
        long snapshotAt = (total / S) * S;
        int tailClusters = (int) ((total - snapshotAt + M - 1) / M);
        LogTest.report("ring open: %s", view);
        assertThat(view.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(view.blocksFetched()).isEqualTo(2 + tailClusters).isEqualTo(17);
        LogView<KeyedCountReducer.State> full = new LogOpener(auditPeer, new InMemoryLogViewStore())
            .replayAll(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(full.blocksFetched()).isEqualTo(1 + (total + M - 1) / M);
        assertThat(view.state()).isEqualTo(full.state()).isEqualTo(writer.state());
        assertThat(full.state().records).isEqualTo(total);

        // a second writer, on the other peer, is refused while the owner's peer holds the lease
        assertThatThrownBy(() -> LogWriter.open(otherPeer, new InMemoryLogViewStore(), config, signing, encryption,
            LABEL, reducer)).isInstanceOf(LogWriterConflictException.class);

        // the other peer's cache: only the head next time; deleted, the view is rebuilt from the DHT
        LogView<KeyedCountReducer.State> cached = opener.open(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(cached.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(cached.blocksFetched()).isEqualTo(1);
        Files.delete(views.viewFile(writer.headHandle()));
        LogView<KeyedCountReducer.State> rebuilt = opener.open(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(rebuilt.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(rebuilt.blocksFetched()).isEqualTo(17);
        assertThat(rebuilt.state()).isEqualTo(writer.state());

        // the owner moves: its old peer stops being the writer once the new one takes over
        LogWriter<KeyedCountReducer.State> moved = LogWriter.takeOver(otherPeer, views, config, signing, encryption,
            LABEL, reducer);
        moved.append(KeyedCountReducer.increment("after-move").type(), KeyedCountReducer.increment("after-move").body());
        assertThatThrownBy(() -> writer.append(KeyedCountReducer.INCREMENT, "late".getBytes()))
            .isInstanceOf(LogWriterConflictException.class);
        LogView<KeyedCountReducer.State> after = new LogOpener(auditPeer, new InMemoryLogViewStore())
            .open(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(after.recordCount()).isEqualTo(total + 1);
        assertThat(after.state().counters).containsEntry("after-move", 1L).doesNotContainKey("late");
    }
}
