package org.epost.overlay.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production offload: work on the pool's threads, results on the node thread, and a queue that cannot grow. */
class WorkerPoolTest {
    private final ExecutorService nodeThread = Executors.newSingleThreadExecutor(task -> new Thread(task, "node"));
    private final LinkedBlockingQueue<Throwable> nodeFailures = new LinkedBlockingQueue<>();
    private final List<WorkerPool> pools = new ArrayList<>();

    @AfterEach
    void stop() {
        pools.forEach(WorkerPool::close);
        nodeThread.shutdownNow();
    }

    private WorkerPool pool(int queued, long bytes) {
        // a node thread that reports what its tasks throw, as the Netty loop logs it
        WorkerPool pool = new WorkerPool("test-crypto", task -> nodeThread.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                nodeFailures.add(e);
            }
        }), 1, queued, bytes);
        pools.add(pool);
        return pool;
    }

    /** Runs {@code task} on the node thread and waits for it. */
    private void onNode(Runnable task) throws Exception {
        nodeThread.submit(task).get(30, TimeUnit.SECONDS);
    }

    @Test
    void theWorkRunsOnAWorkerAndItsResultOnTheNodeThread() throws Exception {
        WorkerPool pool = pool(8, 1024);
        AtomicReference<String> workThread = new AtomicReference<>();
        LinkedBlockingQueue<String> results = new LinkedBlockingQueue<>();

        onNode(() -> pool.run(10, () -> {
            workThread.set(Thread.currentThread().getName());
            return "signed";
        }, result -> results.add(result + " on " + Thread.currentThread().getName())));

        assertThat(results.poll(30, TimeUnit.SECONDS)).isEqualTo("signed on node");
        assertThat(workThread.get()).startsWith("test-crypto").isNotEqualTo("node");
        assertThat(pool.ranInline()).isZero();
    }

    @Test
    void workBeyondTheQueuedCountRunsOnTheCallersThread() throws Exception {
        WorkerPool pool = pool(1, 1 << 20);
        CountDownLatch release = new CountDownLatch(1);
        LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();

        onNode(() -> {
            pool.run(1, () -> await(release), ok -> { }); // holds the one worker
            pool.run(1, () -> "queued", ok -> { }); // fills the queue of one
            pool.run(1, () -> Thread.currentThread().getName(), threads::add); // no room: runs here, now
        });

        assertThat(threads.poll(30, TimeUnit.SECONDS)).isEqualTo("node");
        assertThat(pool.ranInline()).isEqualTo(1);
        release.countDown();
    }

    @Test
    void workBeyondTheQueuedBytesRunsOnTheCallersThread() throws Exception {
        WorkerPool pool = pool(64, 100);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();

        onNode(() -> {
            pool.run(60, () -> await(release), ok -> firstDone.countDown());
            pool.run(60, () -> Thread.currentThread().getName(), threads::add); // 120 bytes held: over the bound
        });

        assertThat(threads.poll(30, TimeUnit.SECONDS)).isEqualTo("node");
        assertThat(pool.ranInline()).isEqualTo(1);
        release.countDown();
        assertThat(firstDone.await(30, TimeUnit.SECONDS)).isTrue();
        // the first task's bytes are free again once its result is handed over: the next one goes to the worker
        onNode(() -> pool.run(60, () -> Thread.currentThread().getName(), threads::add));
        assertThat(threads.poll(30, TimeUnit.SECONDS)).startsWith("test-crypto");
        assertThat(pool.ranInline()).isEqualTo(1);
    }

    @Test
    void aFailureOfTheWorkIsThrownOnTheNodeThreadInsteadOfTheContinuation() throws Exception {
        WorkerPool pool = pool(8, 1024);
        LinkedBlockingQueue<String> results = new LinkedBlockingQueue<>();

        onNode(() -> pool.run(1, () -> {
            throw new IllegalStateException("bad key");
        }, results::add));

        assertThat(nodeFailures.poll(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("bad key");
        assertThat(results).isEmpty();
    }

    @Test
    void aPoolNeedsRoom() {
        assertThatThrownBy(() -> new WorkerPool("x", Runnable::run, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerPool("x", Runnable::run, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "released";
    }
}
