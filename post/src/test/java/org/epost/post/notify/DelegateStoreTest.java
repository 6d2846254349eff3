package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk record of {@link DelegateStore#directory}: canonical, versioned CBOR; unreadable files are skipped. */
class DelegateStoreTest {
    private static final byte[] ID = new byte[Notification.ID_BYTES];

    static {
        ID[0] = 7;
    }

    private final DelegateStore.Entry entry = new DelegateStore.Entry(ID, "bob@example.org", new byte[] {1, 2, 3},
            1_700_000_000_000L);

    @Test
    void entriesSurviveAReopen(@TempDir Path directory) throws Exception {
        DelegateStore store = DelegateStore.directory(directory);
        store.put(entry);
        List<DelegateStore.Entry> loaded = DelegateStore.directory(directory).loadAll();
        assertThat(loaded).hasSize(1);
        assertThat(loaded.get(0).id()).isEqualTo(ID);
        assertThat(loaded.get(0).recipient()).isEqualTo("bob@example.org");
        assertThat(loaded.get(0).box()).containsExactly(1, 2, 3);
        assertThat(loaded.get(0).since()).isEqualTo(1_700_000_000_000L);
        store.remove(ID);
        assertThat(DelegateStore.directory(directory).loadAll()).isEmpty();
    }

    @Test
    void theRecordIsCanonicalVersionedCbor() {
        byte[] encoded = DelegateStore.DirectoryDelegateStore.encode(entry);
        assertThat(encoded).isEqualTo(new CborRecordWriter(64).record(1, 4).bytes(ID).number(1_700_000_000_000L)
                .text("bob@example.org").bytes(new byte[] {1, 2, 3}).end().toBytes());
        DelegateStore.Entry read = DelegateStore.DirectoryDelegateStore.read(encoded);
        assertThat(DelegateStore.DirectoryDelegateStore.encode(read)).isEqualTo(encoded);
    }

    @Test
    void anythingButACanonicalRecordIsRefused() {
        byte[] good = DelegateStore.DirectoryDelegateStore.encode(entry);
        List<byte[]> bad = RecordEncodings.malformed(good);
        bad.add(new CborRecordWriter(64).record(1, 4).bytes(new byte[19]).number(0).text("bob@example.org")
                .bytes(new byte[1]).end().toBytes());
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> DelegateStore.DirectoryDelegateStore.read(bytes)).as("%d bytes", bytes.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> DelegateStore.DirectoryDelegateStore.read(RecordEncodings.withVersion(good, 2)))
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> DelegateStore.DirectoryDelegateStore.read(RecordEncodings.nonMinimalVersion(good)))
                .hasMessageContaining("canonical");
    }

    @Test
    void unreadableFilesAreSkippedWhenLoading(@TempDir Path directory) throws Exception {
        DelegateStore store = DelegateStore.directory(directory);
        store.put(entry);
        byte[] good = DelegateStore.DirectoryDelegateStore.encode(entry);
        Files.write(directory.resolve("00".repeat(20) + ".delegated"), RecordEncodings.withVersion(good, 9));
        Files.write(directory.resolve("11".repeat(20) + ".delegated"), java.util.Arrays.copyOf(good, 10));
        List<DelegateStore.Entry> loaded = DelegateStore.directory(directory).loadAll();
        assertThat(loaded).hasSize(1);
        assertThat(loaded.get(0).id()).isEqualTo(ID);
    }
}
