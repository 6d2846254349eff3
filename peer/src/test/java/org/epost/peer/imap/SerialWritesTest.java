package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class SerialWritesTest {
    private final SerialWrites writes = new SerialWrites();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    @Test
    void runsAWriteAtOnceWhenNoneIsRunning() {
        writes.submit(write("first"));

        assertThat(log).containsExactly("first");
    }

    @Test
    void aWriteSubmittedWhileAnotherRunsWaitsForItWithoutBlockingItsSubmitter() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = other.submit(() -> writes.submit(Mono.fromRunnable(() -> {
            log.add("first starts");
            running.countDown();
            awaitQuietly(release);
            log.add("first ends");
        })));
        running.await();

        writes.submit(write("second"));
        assertThat(log).containsExactly("first starts");

        release.countDown();
        first.get();
        assertThat(log).containsExactly("first starts", "first ends", "second");
    }

    @Test
    void anAsynchronousWriteHoldsTheNextOnesUntilItCompletes() {
        Sinks.Empty<Void> slow = Sinks.empty();
        writes.submit(slow.asMono().then(write("slow")));
        writes.submit(write("next"));
        assertThat(log).isEmpty();

        slow.tryEmitEmpty();

        assertThat(log).containsExactly("slow", "next");
    }

    @Test
    void aFailedWriteDoesNotStopTheNextOnes() {
        writes.submit(Mono.error(new IllegalStateException("the channel is gone")));
        writes.submit(write("next"));

        assertThat(log).containsExactly("next");
    }

    @Test
    void writesSubmittedAfterCloseAreDropped() {
        writes.submit(write("before"));
        writes.close();
        writes.submit(write("after"));

        assertThat(log).containsExactly("before");
    }

    private Mono<Void> write(String name) {
        return Mono.fromRunnable(() -> log.add(name));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
