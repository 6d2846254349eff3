package org.epost.interop.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteStoreTest {
    private static final Route LEGACY = Route.legacy("127.0.0.1", 2525, Route.Protocol.SMTP);

    @TempDir
    Path directory;

    @Test
    void changesSurviveAReopenAndLeaveNoTemporaryFile() throws Exception {
        RouteStore store = RouteStore.open(directory);
        assertThat(store.table()).isEqualTo(RouteTable.empty());
        store.setDomain("example.com", Optional.of(LEGACY));
        store.setUser("moved@example.com", Optional.of(Route.epost()));

        RouteStore reopened = RouteStore.open(directory);

        assertThat(reopened.table()).isEqualTo(store.table());
        assertThat(reopened.routeOf("x@example.com")).isEqualTo(LEGACY);
        assertThat(reopened.routeOf("moved@example.com")).isEqualTo(Route.epost());
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(RouteStore.FILE_NAME);
        }
    }

    @Test
    void aCorruptTableStopsTheOpenWithTheFileName() throws Exception {
        Files.write(directory.resolve(RouteStore.FILE_NAME), new byte[] {(byte) 0x83, 1, 2});
        assertThatThrownBy(() -> RouteStore.open(directory)).isInstanceOf(IOException.class)
            .hasMessageContaining(directory.resolve(RouteStore.FILE_NAME) + " is corrupt");
    }

    @Test
    void aChangeWaitsForRelaysInFlight() throws Exception {
        RouteStore store = RouteStore.open(directory);
        store.setDomain("example.com", Optional.of(LEGACY));
        CountDownLatch relaying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Route> relay = CompletableFuture.supplyAsync(() -> store.withTable(table -> {
            relaying.countDown();
            await(release);
            return table.routeOf("moved@example.com");
        }));
        relaying.await();
        CompletableFuture<RouteTable> change = CompletableFuture.supplyAsync(
            () -> store.setUser("moved@example.com", Optional.of(Route.epost())));

        assertThat(change).isNotDone();
        release.countDown();
        assertThat(relay.join()).isEqualTo(LEGACY);
        assertThat(change.join().routeOf("moved@example.com")).isEqualTo(Route.epost());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
