package org.epost.post.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.log.LogVerificationException.Reason;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log classes against a fast in-memory {@link org.epost.post.blocks.BlockService}. */
class LogTest {
    private static final String LABEL = "folder:INBOX";
    private static final int M = 64;
    private static final int S = 1024;

    private final KeyPair signing = Signatures.generateKeyPair();
    private final KeyPair encryption = SealedBox.generateKeyPair();
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final LogConfig config = LogConfig.defaults().withRecordsPerCluster(M).withSnapshotInterval(S)
        .withClock(clock::get);
    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final KeyedCountReducer reducer = new KeyedCountReducer();

    private LogWriter<KeyedCountReducer.State> writer(LogViewStore views) throws LogException {
        return LogWriter.open(dht, views, config, signing, encryption, LABEL, reducer);
    }

    private LogView<KeyedCountReducer.State> open(LogViewStore views) throws LogException {
        return new LogOpener(dht, views).open(signing.getPublic(), LABEL, encryption, reducer);
    }

    private LogView<KeyedCountReducer.State> replayAll() throws LogException {
        return new LogOpener(dht, new InMemoryLogViewStore()).replayAll(signing.getPublic(), LABEL, encryption, reducer);
    }

    private static List<LogEntry> batch(long from, int size) {
        List<LogEntry> entries = new ArrayList<>();
        for (long i = from; i < from + size; i++) {
            entries.add(i % 97 == 13 ? KeyedCountReducer.delete("k" + (i % 500)) : KeyedCountReducer.increment("k" + (i % 500)));
        }
        return entries;
    }

    @Test
    void hundredThousandRecordsOpenFromSnapshotPlusTail() throws Exception {
        int total = 100_000;
        int batchSize = 10;
        LogWriter<KeyedCountReducer.State> writer = writer(new InMemoryLogViewStore());
        long started = System.nanoTime();
        for (long i = 0; i < total; i += batchSize) {
            assertThat(writer.append(batch(i, batchSize))).isEqualTo(i);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report("append: %,d records in batches of %d: %.1f s, %,.0f records/s, %,.0f commits/s, %,d blocks stored",
            total, batchSize, seconds, total / seconds, total / batchSize / seconds, writer.blocksStored());
        assertThat(writer.recordCount()).isEqualTo(total);

        // a peer with no cache: head + snapshot + the clusters after the newest snapshot, nothing else
        long snapshotAt = (total / S) * S;
        int tailClusters = (int) ((total - snapshotAt + M - 1) / M);
        LogView<KeyedCountReducer.State> view = open(new InMemoryLogViewStore());
        report("open: %s (snapshot at %,d, tail of %d records in %d clusters)", view, snapshotAt, total - snapshotAt,
            tailClusters);
        assertThat(view.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(view.blocksFetched()).isEqualTo(1 + 1 + tailClusters).isEqualTo(13);
        assertThat(view.recordsReplayed()).isEqualTo(total - snapshotAt);
        assertThat(view.recordCount()).isEqualTo(total);

        LogView<KeyedCountReducer.State> full = replayAll();
        report("full replay: %s", full);
        assertThat(full.blocksFetched()).isEqualTo(1 + (total + M - 1) / M);
        assertThat(full.recordsReplayed()).isEqualTo(total);
        assertThat(view.state()).isEqualTo(full.state()).isEqualTo(writer.state());
        assertThat(full.state().records).isEqualTo(total);
        assertThat(full.state().seqSum).isEqualTo((long) total * (total - 1) / 2);
    }

    @Test
    void partialClustersAreDurableAndContinuedByTheNextWriter() throws Exception {
        LogWriter<KeyedCountReducer.State> first = writer(new InMemoryLogViewStore());
        for (int i = 0; i < 10; i++) {
            first.append(KeyedCountReducer.INCREMENT, ("a" + i).getBytes());
        }
        // every single append is readable by another peer at once: head + the one partial cluster
        LogView<KeyedCountReducer.State> view = open(new InMemoryLogViewStore());
        assertThat(view.recordCount()).isEqualTo(10);
        assertThat(view.blocksFetched()).isEqualTo(2);
        first.close();

        LogWriter<KeyedCountReducer.State> second = writer(new InMemoryLogViewStore());
        assertThat(second.epoch()).isEqualTo(2);
        second.append(batch(10, 5));
        LogView<KeyedCountReducer.State> full = replayAll();
        assertThat(full.recordCount()).isEqualTo(15);
        assertThat(full.blocksFetched()).as("the partial cluster was extended, not left in the chain").isEqualTo(2);
        assertThat(full.state()).isEqualTo(second.state());
    }

    @Test
    void largeSnapshotsAreChunked() throws Exception {
        LogConfig small = config.withMaxBlockBytes(8192).withSnapshotInterval(256).withRecordsPerCluster(32);
        LogWriter<KeyedCountReducer.State> writer = LogWriter.open(dht, new InMemoryLogViewStore(), small, signing,
            encryption, LABEL, reducer);
        for (int i = 0; i < 600; i += 20) {
            List<LogEntry> entries = new ArrayList<>();
            for (int j = i; j < i + 20; j++) {
                entries.add(KeyedCountReducer.increment("a-rather-long-key-to-grow-the-state-" + j));
            }
            writer.append(entries);
        }
        int stateBytes = reducer.encode(writer.state()).length;
        assertThat(stateBytes).isGreaterThan(2 * 8192);
        LogView<KeyedCountReducer.State> view = open(new InMemoryLogViewStore());
        int snapshotBytes = reducer.encode(reducer.decode(reducer.encode(writer.state()))).length;
        assertThat(snapshotBytes).isEqualTo(stateBytes);
        // head + snapshot root + its chunks + the tail clusters after record 512
        assertThat(view.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(view.blocksFetched()).isGreaterThan(1 + 1 + 2 + 3);
        assertThat(view.state()).isEqualTo(replayAll().state()).isEqualTo(writer.state());
    }

    @Test
    void aSecondWriterIsRefusedAndATakenOverWriterStops() throws Exception {
        LogWriter<KeyedCountReducer.State> first = writer(new InMemoryLogViewStore());
        first.append(batch(0, 3));
        assertThatThrownBy(() -> writer(new InMemoryLogViewStore()))
            .isInstanceOf(LogWriterConflictException.class).hasMessageContaining("a second writer is refused");

        // the first writer's lease (plus skew) runs out without it writing: a new writer takes over, epoch 2
        clock.addAndGet(config.writerLeaseMillis() + config.clockSkewMillis() + 1);
        LogWriter<KeyedCountReducer.State> second = writer(new InMemoryLogViewStore());
        assertThat(second.epoch()).isEqualTo(2);
        second.append(batch(3, 2));
        assertThatThrownBy(() -> first.append(batch(100, 1)))
            .isInstanceOf(LogWriterConflictException.class).hasMessageContaining("which it did not write");
        assertThatThrownBy(() -> first.append(batch(100, 1))).hasMessageContaining("stopped");

        // forced takeover while the second's lease is live: the second's next head is refused, it stops
        LogWriter<KeyedCountReducer.State> third = LogWriter.takeOver(dht, new InMemoryLogViewStore(), config,
            signing, encryption, LABEL, reducer);
        assertThat(third.epoch()).isEqualTo(3);
        assertThatThrownBy(() -> second.append(batch(5, 1)))
            .isInstanceOf(LogWriterConflictException.class).hasMessageContaining("this writer stops");
        third.append(batch(5, 1));

        LogView<KeyedCountReducer.State> full = replayAll();
        assertThat(full.recordCount()).isEqualTo(6);
        assertThat(full.state()).isEqualTo(third.state());
        assertThat(full.head().writerEpoch()).isEqualTo(3);
    }

    @Test
    void aHeadSignedByAnotherKeyIsRejected() throws Exception {
        writer(new InMemoryLogViewStore()).append(batch(0, 5));
        KeyPair mallory = Signatures.generateKeyPair();
        LogHead real = open(new InMemoryLogViewStore()).head();
        PublicKeyBlock forged = PublicKeyBlock.sign(mallory, LABEL, real.version() + 1, real.encodePayload());
        dht.substitute(new BlockKey(LogOpener.headHandle(signing.getPublic(), LABEL), BlockKind.PUBLIC_KEY), forged);
        assertThatThrownBy(() -> open(new InMemoryLogViewStore()))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FOREIGN_HEAD))
            .hasMessageContaining("signed by another key");
        // and another label of the right owner is not this log's head either
        PublicKeyBlock otherLabel = PublicKeyBlock.sign(signing, "folder:Sent", real.version() + 1, real.encodePayload());
        dht.substitute(new BlockKey(LogOpener.headHandle(signing.getPublic(), LABEL), BlockKind.PUBLIC_KEY), otherLabel);
        assertThatThrownBy(() -> open(new InMemoryLogViewStore()))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FOREIGN_HEAD));
    }

    @Test
    void recordsNotSealedUnderTheLogKeyAreRejected() throws Exception {
        LogWriter<KeyedCountReducer.State> writer = writer(new InMemoryLogViewStore());
        writer.append(batch(0, 5));
        LogHead real = writer.head();
        Id handle = LogOpener.headHandle(signing.getPublic(), LABEL);
        // a cluster sealed under some other key (not the log key sealed to the owner), continuing the chain correctly
        LogCipher foreignKey = new LogCipher(LogCipher.newLogKey(), handle);
        Cluster forgedRecords = new Cluster(5, 9, real.newestCluster(), List.of(new LogRecord(5, 1, "evil".getBytes())));
        ContentHashBlock forged = ContentHashBlock.of(foreignKey.seal(LogCipher.BlockType.CLUSTER, forgedRecords.encode()));
        dht.insert(forged, 0);
        byte[] digest = LogDigest.next(real.digest(), forgedRecords.records().get(0));
        LogHead pointing = new LogHead(real.version() + 1, 6, forged.handle(), null, 0, digest, real.writerId(),
            real.writerEpoch(), real.writerLeaseExpiry(), real.sealedLogKey());
        dht.insert(pointing.sign(signing, LABEL), 0);
        assertThatThrownBy(() -> open(new InMemoryLogViewStore()))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNDECRYPTABLE))
            .hasMessageContaining("does not decrypt under the log key");

        // a replica serving other bytes for a cluster's handle
        dht.substitute(new BlockKey(forged.handle(), BlockKind.CONTENT_HASH), ContentHashBlock.of(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> open(new InMemoryLogViewStore()))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BLOCK));
    }

    @Test
    void aBrokenChainIsRejected() throws Exception {
        LogWriter<KeyedCountReducer.State> writer = writer(new InMemoryLogViewStore());
        for (int i = 0; i < 300; i += 30) {
            writer.append(batch(i, 30));
        }
        LogHead real = writer.head();
        // a head claiming more records than its newest cluster ends at
        LogHead lying = new LogHead(real.version() + 1, real.recordCount() + 3, real.newestCluster(), null, 0,
            real.digest(), real.writerId(), real.writerEpoch(), real.writerLeaseExpiry(), real.sealedLogKey());
        dht.insert(lying.sign(signing, LABEL), 0);
        assertThatThrownBy(() -> open(new InMemoryLogViewStore()))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BROKEN_CHAIN));

        // records whose digest does not match the signed one
        LogHead wrongDigest = new LogHead(real.version() + 2, real.recordCount(), real.newestCluster(), null, 0,
            new byte[32], real.writerId(), real.writerEpoch(), real.writerLeaseExpiry(), real.sealedLogKey());
        dht.insert(wrongDigest.sign(signing, LABEL), 0);
        assertThatThrownBy(() -> open(new InMemoryLogViewStore()))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));

        // a cluster in the middle lost from every replica
        LogHead restored = new LogHead(real.version() + 3, real.recordCount(), real.newestCluster(), null, 0,
            real.digest(), real.writerId(), real.writerEpoch(), real.writerLeaseExpiry(), real.sealedLogKey());
        dht.insert(restored.sign(signing, LABEL), 0);
        assertThat(replayAll().recordCount()).isEqualTo(300);
        Cluster newest = new LogOpener(dht, new InMemoryLogViewStore()).fetchCluster(writer.headHandle(), LABEL,
            LogOpener.cipher(real, writer.headHandle(), LABEL, encryption), real.newestCluster());
        dht.remove(new BlockKey(newest.predecessor(), BlockKind.CONTENT_HASH));
        assertThatThrownBy(this::replayAll)
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_BLOCK));
    }

    @Test
    void singleAppendsEachDurable() throws Exception {
        LogWriter<KeyedCountReducer.State> writer = writer(new InMemoryLogViewStore());
        int total = 2000;
        long started = System.nanoTime();
        for (int i = 0; i < total; i++) {
            writer.append(KeyedCountReducer.INCREMENT, ("k" + (i % 50)).getBytes());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report("append: %,d single-record appends (cluster rewrite + head each): %,.0f appends/s, %,d blocks stored",
            total, total / seconds, writer.blocksStored());
        // one cluster + one head per append, one head to open, and one snapshot at record 1024
        assertThat(writer.blocksStored()).isEqualTo(1 + 2L * total + 1);
        LogView<KeyedCountReducer.State> full = replayAll();
        assertThat(full.blocksFetched()).isEqualTo(1 + (total + M - 1) / M);
        assertThat(full.state()).isEqualTo(writer.state());
    }

    @Test
    void aReplayedOlderHeadIsNotTaken() throws Exception {
        LogWriter<KeyedCountReducer.State> writer = writer(new InMemoryLogViewStore());
        writer.append(batch(0, 5));
        PublicKeyBlock old = writer.head().sign(signing, LABEL);
        writer.append(batch(5, 5));
        writer.append(batch(10, 5));
        InMemoryLogViewStore views = new InMemoryLogViewStore();
        LogView<KeyedCountReducer.State> newest = open(views);
        assertThat(newest.recordCount()).isEqualTo(15);

        Id handle = LogOpener.headHandle(signing.getPublic(), LABEL);
        dht.substitute(new BlockKey(handle, BlockKind.PUBLIC_KEY), old);
        assertThatThrownBy(() -> open(views))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ROLLBACK))
            .hasMessageContaining("v" + newest.headVersion() + " was accepted before");
        assertThat(views.highestHeadVersion(handle)).isEqualTo(newest.headVersion());

        // the head vanishing after it was seen is not an empty log either
        dht.clearSubstitutes();
        dht.remove(new BlockKey(handle, BlockKind.PUBLIC_KEY));
        assertThatThrownBy(() -> open(views))
            .isInstanceOfSatisfying(LogVerificationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ROLLBACK));
        // the writer's own old head re-inserted is refused as stale by the store
        assertThat(dht.insert(writer.head().sign(signing, LABEL), 0).join().isSuccess()).isTrue();
        assertThat(dht.insert(old, 0).join().status()).isEqualTo(org.epost.overlay.past.protocol.InsertResult.Status.STALE);
    }

    @Test
    void theViewIsCachedLocallyAndRebuiltFromTheDhtWhenTheCacheIsLost(@TempDir Path dir) throws Exception {
        FileLogViewStore views = new FileLogViewStore(dir);
        LogWriter<KeyedCountReducer.State> writer = writer(new InMemoryLogViewStore());
        for (int i = 0; i < 3000; i += 50) {
            writer.append(batch(i, 50));
        }
        Id handle = writer.headHandle();

        LogView<KeyedCountReducer.State> first = open(views);
        assertThat(first.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(Files.exists(views.viewFile(handle))).isTrue();

        // cached: only the head is fetched
        LogView<KeyedCountReducer.State> cached = open(new FileLogViewStore(dir));
        assertThat(cached.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(cached.blocksFetched()).isEqualTo(1);
        assertThat(cached.state()).isEqualTo(writer.state());

        // a few more records: the cache plus only the new tail
        writer.append(batch(3000, 7));
        LogView<KeyedCountReducer.State> extended = open(views);
        assertThat(extended.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(extended.recordsReplayed()).isEqualTo(7);
        assertThat(extended.blocksFetched()).isEqualTo(2);
        assertThat(extended.state()).isEqualTo(writer.state());

        // the cache deleted: rebuilt from the DHT, same state
        Files.delete(views.viewFile(handle));
        LogView<KeyedCountReducer.State> rebuilt = open(views);
        assertThat(rebuilt.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(rebuilt.state()).isEqualTo(writer.state()).isEqualTo(replayAll().state());
        assertThat(Files.exists(views.viewFile(handle))).isTrue();

        // a corrupted cache is discarded, never used
        byte[] bytes = Files.readAllBytes(views.viewFile(handle));
        bytes[bytes.length - 1] ^= 1;
        Files.write(views.viewFile(handle), bytes);
        LogView<KeyedCountReducer.State> afterCorruption = open(views);
        assertThat(afterCorruption.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(afterCorruption.state()).isEqualTo(writer.state());

        // a cache of another history (authentic, but its records differ from the signed log): digest catches it
        KeyedCountReducer.State bogus = reducer.decode(reducer.encode(writer.state()));
        bogus.counters.put("never-appended", 42L);
        LogCipher cipher = LogOpener.cipher(writer.head(), handle, LABEL, encryption);
        new LogOpener(dht, views).saveCache(handle, cipher, writer.head().version(), 3000, new byte[32],
            reducer.encodeParts(bogus));
        LogView<KeyedCountReducer.State> afterBogus = open(views);
        assertThat(afterBogus.source()).isEqualTo(LogView.Source.SNAPSHOT);
        assertThat(afterBogus.state()).isEqualTo(writer.state());
        assertThat(afterBogus.state().counters).doesNotContainKey("never-appended");
    }

    static void report(String format, Object... args) {
        System.out.println("[post-log] " + String.format(format, args));
    }

    @Test
    void appendsAreReportedToTheConfiguredMetrics() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        List<String> timers = new ArrayList<>();
        MetricSink sink = new MetricSink() {
            @Override
            public void count(String name, long delta) {
                counts.merge(name, delta, Long::sum);
            }

            @Override
            public void record(String name, long value) {
            }

            @Override
            public void time(String name, long nanos) {
                timers.add(name);
            }
        };
        LogWriter<KeyedCountReducer.State> writer = LogWriter.open(dht, new InMemoryLogViewStore(),
            config.withMetrics(sink), signing, encryption, LABEL, reducer);

        writer.append(batch(0, 3));
        writer.append(List.of());
        writer.close();
        assertThatThrownBy(() -> writer.append(batch(3, 1))).isInstanceOf(LogException.class);

        assertThat(counts).containsEntry("epost.log.append.records", 3L).containsEntry("epost.log.append.failed", 1L);
        assertThat(timers).containsExactly("epost.log.append", "epost.log.append");
    }
}
