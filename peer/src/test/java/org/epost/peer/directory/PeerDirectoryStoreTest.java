package org.epost.peer.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.epost.peer.directory.PeerDirectoryStore.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerDirectoryStoreTest {
    @TempDir
    Path directory;

    @Test
    void keepsTablesApart() {
        try (PeerDirectoryStore store = new PeerDirectoryStore(directory)) {
            store.put(Table.DOMAINS, "example.org", bytes("d"));
            store.put(Table.USERS, "example.org", bytes("u"));

            assertThat(store.get(Table.DOMAINS, "example.org")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("d")));
            assertThat(store.get(Table.USERS, "example.org")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("u")));
        }
    }

    @Test
    void listsDeletesAndOverwrites() {
        try (PeerDirectoryStore store = new PeerDirectoryStore(directory)) {
            store.put(Table.USERS, "b@x", bytes("1"));
            store.put(Table.USERS, "a@x", bytes("1"));
            store.put(Table.USERS, "c@x", bytes("1"));
            store.put(Table.USERS, "a@x", bytes("2"));
            store.delete(Table.USERS, "b@x");

            assertThat(store.keys(Table.USERS)).containsExactly("a@x", "c@x");
            assertThat(store.get(Table.USERS, "a@x")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("2")));
            assertThat(store.get(Table.USERS, "b@x")).isEmpty();
        }
    }

    @Test
    void survivesReopening() {
        try (PeerDirectoryStore store = new PeerDirectoryStore(directory)) {
            store.put(Table.DOMAINS, "example.org", bytes("d"));
        }
        try (PeerDirectoryStore store = new PeerDirectoryStore(directory)) {
            assertThat(store.keys(Table.DOMAINS)).containsExactly("example.org");
        }
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefusedClearly() {
        try (PeerDirectoryStore store = new PeerDirectoryStore(directory)) {
            assertThatThrownBy(() -> new PeerDirectoryStore(directory))
                .isInstanceOf(DirectoryStoreException.class)
                .hasMessageContaining("another James process");
        }
    }

    @Test
    void aClosedStoreAnswersWithAnErrorInsteadOfCrashing() {
        PeerDirectoryStore store = new PeerDirectoryStore(directory);
        store.close();
        store.close();

        assertThatThrownBy(() -> store.get(Table.USERS, "a@x")).isInstanceOf(DirectoryStoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put(Table.USERS, "a@x", bytes("1"))).isInstanceOf(DirectoryStoreException.class);
        assertThatThrownBy(store::probe).isInstanceOf(DirectoryStoreException.class);
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsRefusedClearly(@TempDir Path parent) throws Exception {
        Path file = parent.resolve("not-a-directory");
        java.nio.file.Files.writeString(file, "x");

        assertThatThrownBy(() -> new PeerDirectoryStore(file.resolve("store")))
            .isInstanceOf(DirectoryStoreException.class)
            .hasMessageContaining("Cannot create");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
