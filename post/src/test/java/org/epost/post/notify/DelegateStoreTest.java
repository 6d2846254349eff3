package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DelegateStore#directory}: bodies on disk and only the index read at start; a byte quota with a share per
 * sending peer; its index record canonical, versioned CBOR; interrupted writes and unreadable files cleaned up; files
 * of the first format converted.
 */
class DelegateStoreTest {
    private static final NodeHandle ORIGIN = new NodeHandle(Id.hash("origin"), "10.0.0.1:7000");
    private static final NodeHandle OTHER_ORIGIN = new NodeHandle(Id.hash("other origin"), "10.0.0.2:7000");
    private static final byte[] BOX = {1, 2, 3};

    private static byte[] id(int first) {
        byte[] id = new byte[Notification.ID_BYTES];
        id[0] = (byte) first;
        return id;
    }

    private static DelegateStore.Entry entry(int first, NodeHandle origin, int size) {
        return new DelegateStore.Entry(id(first), "bob@example.org", 1_700_000_000_000L, origin, size);
    }

    @Test
    void entriesSurviveAReopenAndTheirBodiesAreReadBackOnDemand(@TempDir Path directory) throws Exception {
        DelegateStore store = DelegateStore.directory(directory, 1 << 20);
        store.put(entry(7, ORIGIN, 3), BOX);
        store.put(entry(7, ORIGIN, 3), BOX);
        assertThat(store.usedBytes()).as("kept once").isEqualTo(3);
        DelegateStore reopened = DelegateStore.directory(directory, 1 << 20);
        List<DelegateStore.Entry> index = reopened.index();
        assertThat(index).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(id(7));
            assertThat(e.recipient()).isEqualTo("bob@example.org");
            assertThat(e.since()).isEqualTo(1_700_000_000_000L);
            assertThat(e.origin()).isEqualTo(ORIGIN);
            assertThat(e.size()).isEqualTo(3);
        });
        assertThat(reopened.usedBytes()).isEqualTo(3);
        assertThat(reopened.box(id(7))).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(reopened.box(id(8))).isEmpty();
        reopened.remove(id(7));
        assertThat(reopened.usedBytes()).isZero();
        assertThat(directory).isEmptyDirectory();
        assertThat(DelegateStore.directory(directory, 1 << 20).index()).isEmpty();
    }

    @Test
    void theQuotaAndEachSendingPeersShareRefuseClearly(@TempDir Path directory) throws Exception {
        DelegateStore store = DelegateStore.directory(directory, 100);
        store.put(entry(1, ORIGIN, 50), new byte[50]);
        assertThatThrownBy(() -> store.put(entry(2, ORIGIN, 1), new byte[1]))
                .isInstanceOf(DelegateStore.FullException.class).hasMessageContaining("share of sending peer")
                .hasMessageContaining("50 of 50 bytes");
        store.put(entry(3, OTHER_ORIGIN, 40), new byte[40]);
        assertThatThrownBy(() -> store.put(entry(4, OTHER_ORIGIN, 20), new byte[20]))
                .isInstanceOf(DelegateStore.FullException.class).hasMessageContaining("delegate store full: 90 of 100");
        assertThat(store.index()).hasSize(2);
        assertThat(Files.exists(directory.resolve("04" + "00".repeat(19) + ".box"))).as("nothing written").isFalse();
        store.remove(id(1));
        store.put(entry(2, ORIGIN, 20), new byte[20]);
        assertThat(store.usedBytes()).isEqualTo(60);
        assertThat(DelegateStore.inMemory(10).usedBytes()).isZero();
        assertThatThrownBy(() -> DelegateStore.inMemory(10).put(entry(1, ORIGIN, 11), new byte[11]))
                .isInstanceOf(DelegateStore.FullException.class);
    }

    @Test
    void theIndexRecordIsCanonicalVersionedCbor() {
        DelegateStore.Entry entry = entry(7, ORIGIN, 3);
        byte[] encoded = DirectoryDelegateStore.encode(entry);
        assertThat(encoded).isEqualTo(new CborRecordWriter(64).record(1, 5).bytes(id(7)).number(1_700_000_000_000L)
                .text("bob@example.org").number(3).array(1).array(2).bytes(ORIGIN.id().toBytes())
                .text(ORIGIN.address()).end().end().end().toBytes());
        assertThat(DirectoryDelegateStore.read(encoded)).usingRecursiveComparison().isEqualTo(entry);
        DelegateStore.Entry unknownOrigin = entry(7, null, 3);
        assertThat(DirectoryDelegateStore.read(DirectoryDelegateStore.encode(unknownOrigin)).origin()).isNull();
    }

    @Test
    void anythingButACanonicalIndexRecordIsRefused() {
        byte[] good = DirectoryDelegateStore.encode(entry(7, ORIGIN, 3));
        List<byte[]> bad = RecordEncodings.malformed(good);
        bad.add(new CborRecordWriter(64).record(1, 5).bytes(new byte[19]).number(0).text("bob@example.org")
                .number(1).array(0).end().end().toBytes());
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> DirectoryDelegateStore.read(bytes)).as("%d bytes", bytes.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> DirectoryDelegateStore.read(RecordEncodings.withVersion(good, 2)))
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> DirectoryDelegateStore.read(RecordEncodings.nonMinimalVersion(good)))
                .hasMessageContaining("canonical");
    }

    @Test
    void interruptedWritesAndUnreadableFilesAreCleanedUpAtStart(@TempDir Path directory) throws Exception {
        DelegateStore store = DelegateStore.directory(directory, 1 << 20);
        store.put(entry(7, ORIGIN, 3), BOX);
        String orphan = "11".repeat(20);
        Files.write(directory.resolve(orphan + ".box"), BOX);
        String truncated = "22".repeat(20);
        Files.write(directory.resolve(truncated + ".box"), new byte[2]);
        Files.write(directory.resolve(truncated + ".kept"), DirectoryDelegateStore.encode(
                new DelegateStore.Entry(new byte[] {0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
                        0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22}, "bob@example.org", 0, ORIGIN, 3)));
        String garbage = "33".repeat(20);
        Files.write(directory.resolve(garbage + ".kept"), new byte[] {1, 2});
        Files.write(directory.resolve("44".repeat(20) + ".kept.tmp"), new byte[] {1});

        DelegateStore reopened = DelegateStore.directory(directory, 1 << 20);
        assertThat(reopened.index()).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(id(7)));
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "07" + "00".repeat(19) + ".box", "07" + "00".repeat(19) + ".kept");
        }
    }

    @Test
    void filesOfTheFirstFormatAreConvertedOnce(@TempDir Path directory) throws Exception {
        byte[] legacy = new CborRecordWriter(64).record(1, 4).bytes(id(9)).number(5L).text("bob@example.org")
                .bytes(BOX).end().toBytes();
        Files.write(directory.resolve("09" + "00".repeat(19) + ".delegated"), legacy);
        Files.write(directory.resolve("0a" + "00".repeat(19) + ".delegated"), RecordEncodings.withVersion(legacy, 9));
        DelegateStore store = DelegateStore.directory(directory, 1 << 20);
        assertThat(store.index()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(id(9));
            assertThat(e.since()).isEqualTo(5L);
            assertThat(e.origin()).as("not recorded then").isNull();
        });
        assertThat(store.box(id(9))).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(directory.resolve("09" + "00".repeat(19) + ".delegated")).doesNotExist();
        assertThat(DelegateStore.directory(directory, 1 << 20).index()).hasSize(1);
    }
}
