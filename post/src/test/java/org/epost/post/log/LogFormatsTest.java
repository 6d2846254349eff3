package org.epost.post.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's stored structures in the shared canonical CBOR record codec: the head's payload, clusters, snapshot
 * roots, cached views, the record encoding the digest chain hashes, and the version files of {@link FileLogViewStore}.
 * Each round-trips to the same bytes and refuses another version, truncated or trailing bytes, garbage and
 * non-canonical encodings.
 */
class LogFormatsTest {
    private static final String LABEL = "folder:INBOX";
    private static final byte[] DIGEST = filled(LogDigest.BYTES, 0x11);
    private static final byte[] HASH = filled(32, 0x22);

    // ---------------------------------------------------------------- head

    @Test
    void theHeadPayloadRoundTripsAndIsStrict() throws Exception {
        KeyPair owner = Signatures.generateKeyPair();
        LogHead head = new LogHead(7, 300, Id.hash("newest"), Id.hash("snapshot"), 256, DIGEST,
            filled(LogHead.WRITER_ID_BYTES, 0x33), 2, 1_700_000_000_000L, filled(120, 0x44));
        byte[] payload = head.encodePayload();
        assertThat(payload[1]).as("format version").isEqualTo((byte) LogHead.VERSION);
        LogHead read = LogHead.fromBlock(head.sign(owner, LABEL), owner.getPublic(), LABEL);
        assertThat(read.encodePayload()).isEqualTo(payload);
        assertThat(read.version()).isEqualTo(7);
        assertThat(read.newestCluster()).isEqualTo(Id.hash("newest"));
        assertThat(read.writerLeaseExpiry()).isEqualTo(1_700_000_000_000L);
        LogHead empty = new LogHead(0, 0, null, null, 0, new byte[32], new byte[16], 0, 0, new byte[0]);
        assertThat(LogHead.fromBlock(empty.sign(owner, LABEL), owner.getPublic(), LABEL).encodePayload())
            .isEqualTo(empty.encodePayload());

        List<byte[]> bad = RecordEncodings.malformed(payload);
        // consistent-looking fields the head refuses: a snapshot beyond the record count, a short digest
        bad.add(new CborRecordWriter(256).record(1, 10).text("epost/log-head").number(1).array(1)
            .bytes(Id.hash("n").toBytes()).end().array(0).end().number(5).bytes(DIGEST).bytes(new byte[16]).number(0)
            .number(0).bytes(new byte[1]).end().toBytes());
        bad.add(new CborRecordWriter(256).record(1, 10).text("epost/log-head").number(1).array(1)
            .bytes(Id.hash("n").toBytes()).end().array(0).end().number(0).bytes(new byte[31]).bytes(new byte[16])
            .number(0).number(0).bytes(new byte[1]).end().toBytes());
        bad.add(new CborRecordWriter(256).record(1, 10).text("epost/log-heap").number(1).array(1)
            .bytes(Id.hash("n").toBytes()).end().array(0).end().number(0).bytes(DIGEST).bytes(new byte[16])
            .number(0).number(0).bytes(new byte[1]).end().toBytes());
        for (byte[] payloadBytes : bad) {
            PublicKeyBlock block = PublicKeyBlock.sign(owner, LABEL, 8, payloadBytes);
            LogVerificationException refused = catchThrowableOfType(
                () -> LogHead.fromBlock(block, owner.getPublic(), LABEL), LogVerificationException.class);
            assertThat(refused).as("%d bytes", payloadBytes.length).isNotNull();
            assertThat(refused.reason()).isEqualTo(LogVerificationException.Reason.MALFORMED_HEAD);
        }
        assertThat(catchThrowableOfType(() -> LogHead.fromBlock(PublicKeyBlock.sign(owner, LABEL, 8,
            RecordEncodings.withVersion(payload, 2)), owner.getPublic(), LABEL), LogVerificationException.class))
            .hasMessageContaining("version 2");
    }

    // ---------------------------------------------------------------- clusters

    @Test
    void clustersRoundTripAndAreStrict() throws Exception {
        Cluster cluster = new Cluster(40, 3, Id.hash("before"), List.of(new LogRecord(40, 1, bytes("a")),
            new LogRecord(41, LogEntry.MAX_TYPE, new byte[0]), new LogRecord(42, 0, filled(300, 0x55))));
        byte[] encoded = cluster.encode();
        assertThat(encoded).isEqualTo(new CborRecordWriter(512).record(1, 4).number(40).number(3).array(1)
            .bytes(Id.hash("before").toBytes()).end().array(3)
            .array(2).number(1).bytes(bytes("a")).end()
            .array(2).number(LogEntry.MAX_TYPE).bytes(new byte[0]).end()
            .array(2).number(0).bytes(filled(300, 0x55)).end().end().end().toBytes());
        Cluster read = Cluster.decode(encoded);
        assertThat(read.encode()).isEqualTo(encoded);
        assertThat(read.records().get(2).seq()).isEqualTo(42);
        assertThat(read.predecessor()).isEqualTo(Id.hash("before"));
        Cluster first = new Cluster(0, 0, null, List.of(new LogRecord(0, 1, bytes("x"))));
        assertThat(Cluster.decode(first.encode()).predecessor()).isNull();
        int bound = Cluster.FIXED_BYTES;
        for (LogRecord record : cluster.records()) {
            bound += new LogEntry(record.type(), record.body()).encodedLength();
        }
        assertThat(encoded.length).as("within the size the writer plans with").isLessThanOrEqualTo(bound);

        List<byte[]> bad = RecordEncodings.malformed(encoded);
        bad.add(new CborRecordWriter(64).record(1, 4).number(0).number(0).array(0).end().array(0).end().end()
            .toBytes());
        bad.add(new CborRecordWriter(64).record(1, 4).number(0).number(0).array(0).end().array(1).array(2)
            .number(LogEntry.MAX_TYPE + 1).bytes(new byte[1]).end().end().end().toBytes());
        bad.add(new CborRecordWriter(64).record(1, 4).number(-1).number(0).array(0).end().array(1).array(2)
            .number(1).bytes(new byte[1]).end().end().end().toBytes());
        bad.add(new CborRecordWriter(64).record(1, 4).number(0).number(0).array(1).bytes(new byte[19]).end()
            .array(1).array(2).number(1).bytes(new byte[1]).end().end().end().toBytes());
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> Cluster.decode(bytes)).as("%d bytes", bytes.length)
                .isInstanceOf(LogFormatException.class);
        }
        assertThatThrownBy(() -> Cluster.decode(RecordEncodings.withVersion(encoded, 2)))
            .hasMessageContaining("version 2");
        assertThatThrownBy(() -> Cluster.decode(RecordEncodings.nonMinimalVersion(encoded)))
            .hasMessageContaining("canonical");
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    void snapshotRootsRoundTripAndAreStrict() throws Exception {
        SnapshotRoot inline = new SnapshotRoot(256, DIGEST, 5, HASH, bytes("state"), List.of());
        SnapshotRoot chunked = new SnapshotRoot(512, DIGEST, 3_000_000, HASH, null,
            List.of(Id.hash("c0"), Id.hash("c1"), Id.hash("c2")));
        for (SnapshotRoot root : List.of(inline, chunked)) {
            byte[] encoded = root.encode();
            SnapshotRoot read = SnapshotRoot.decode(encoded);
            assertThat(read.encode()).isEqualTo(encoded);
            assertThat(read.recordCount()).isEqualTo(root.recordCount());
            assertThat(read.chunks()).isEqualTo(root.chunks());
            assertThat(encoded.length).isLessThanOrEqualTo(SnapshotRoot.FIXED_BYTES
                + (root.inlineState() == null ? root.chunks().size() * (1 + Id.BYTES) : root.inlineState().length));
            List<byte[]> bad = RecordEncodings.malformed(encoded);
            for (byte[] bytes : bad) {
                assertThatThrownBy(() -> SnapshotRoot.decode(bytes)).as("%d bytes", bytes.length)
                    .isInstanceOf(LogFormatException.class);
            }
            assertThatThrownBy(() -> SnapshotRoot.decode(RecordEncodings.withVersion(encoded, 2)))
                .hasMessageContaining("version 2");
        }
        assertThat(SnapshotRoot.decode(inline.encode()).inlineState()).isEqualTo(bytes("state"));
        // an inline state of another length than announced; an unknown mode; a chunked root without chunks
        List<byte[]> inconsistent = List.of(
            new CborRecordWriter(128).record(1, 6).number(1).bytes(DIGEST).number(6).bytes(HASH).number(0)
                .bytes(bytes("state")).end().toBytes(),
            new CborRecordWriter(128).record(1, 6).number(1).bytes(DIGEST).number(5).bytes(HASH).number(2)
                .bytes(bytes("state")).end().toBytes(),
            new CborRecordWriter(128).record(1, 6).number(1).bytes(DIGEST).number(5).bytes(HASH).number(1)
                .array(0).end().end().toBytes());
        for (byte[] bytes : inconsistent) {
            assertThatThrownBy(() -> SnapshotRoot.decode(bytes)).isInstanceOf(LogFormatException.class);
        }
    }

    // ---------------------------------------------------------------- cached views and the digest chain

    @Test
    void cachedViewsRoundTripAndAreStrict() throws Exception {
        LogOpener.CachedView view = new LogOpener.CachedView(9, 3000, DIGEST, bytes("materialized"));
        byte[] encoded = view.encode();
        assertThat(encoded).isEqualTo(new CborRecordWriter(64).record(1, 4).number(9).number(3000).bytes(DIGEST)
            .bytes(bytes("materialized")).end().toBytes());
        LogOpener.CachedView read = LogOpener.CachedView.decode(encoded);
        assertThat(read.encode()).isEqualTo(encoded);
        assertThat(read.state()).isEqualTo(bytes("materialized"));
        for (byte[] bytes : RecordEncodings.malformed(encoded)) {
            assertThatThrownBy(() -> LogOpener.CachedView.decode(bytes)).as("%d bytes", bytes.length)
                .isInstanceOf(LogFormatException.class);
        }
        assertThatThrownBy(() -> LogOpener.CachedView.decode(RecordEncodings.withVersion(encoded, 2)))
            .hasMessageContaining("version 2");
    }

    @Test
    void theDigestChainHashesEachRecordsVersionedEncoding() {
        LogRecord record = new LogRecord(5, 2, bytes("body"));
        assertThat(LogDigest.encode(record)).isEqualTo(new CborRecordWriter(32).record(1, 3).number(5).number(2)
            .bytes(bytes("body")).end().toBytes());
        byte[] next = LogDigest.next(LogDigest.initial(), record);
        assertThat(next).hasSize(LogDigest.BYTES).isEqualTo(LogDigest.next(LogDigest.initial(),
            new LogRecord(5, 2, bytes("body"))));
        // every field is bound: sequence number, type, body, predecessor digest
        assertThat(List.of(LogDigest.next(LogDigest.initial(), new LogRecord(6, 2, bytes("body"))),
            LogDigest.next(LogDigest.initial(), new LogRecord(5, 3, bytes("body"))),
            LogDigest.next(LogDigest.initial(), new LogRecord(5, 2, bytes("bodY"))),
            LogDigest.next(DIGEST, record))).allSatisfy(other -> assertThat(other).isNotEqualTo(next));
    }

    // ---------------------------------------------------------------- view store version files

    @Test
    void versionFilesRoundTripAndCorruptOnesAreReported(@TempDir Path directory) throws Exception {
        FileLogViewStore store = new FileLogViewStore(directory);
        Id log = Id.hash("log");
        assertThat(store.highestHeadVersion(log)).isEqualTo(-1);
        store.recordHeadVersion(log, 300);
        store.recordHeadVersion(log, 200);
        assertThat(store.highestHeadVersion(log)).isEqualTo(300);
        Path file = directory.resolve("versions").resolve(log.toHex() + ".version");
        byte[] encoded = Files.readAllBytes(file);
        assertThat(encoded).isEqualTo(FileLogViewStore.encodeVersion(300))
            .isEqualTo(new CborRecordWriter(8).record(1, 1).number(300).end().toBytes());
        List<byte[]> bad = RecordEncodings.malformed(encoded);
        bad.add(new CborRecordWriter(8).record(1, 1).number(-1).end().toBytes());
        for (byte[] bytes : bad) {
            Files.write(file, bytes);
            assertThatThrownBy(() -> store.highestHeadVersion(log)).as("%d bytes", bytes.length)
                .isInstanceOf(IOException.class).hasMessageContaining("corrupt version file");
        }
        Files.write(file, RecordEncodings.withVersion(encoded, 2));
        assertThatThrownBy(() -> store.highestHeadVersion(log)).hasMessageContaining("version 2");
    }

    // ---------------------------------------------------------------- helpers


    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
