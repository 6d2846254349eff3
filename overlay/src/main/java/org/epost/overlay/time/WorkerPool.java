package org.epost.overlay.time;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The production {@link Offload}: a few daemon threads with a bounded queue, results handed back through the node
 * thread's executor. The queue is bounded by count and by the bytes its work holds; work that does not fit runs on the
 * caller's (node) thread as it did before there was a pool, so a flood of messages slows the node down instead of
 * growing a queue without bound.
 */
public final class WorkerPool implements Offload, AutoCloseable {
    private final Executor nodeThread;
    private final ThreadPoolExecutor workers;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong ranInline = new AtomicLong();

    /**
     * @param nodeThread     runs the results' continuations (the node's event loop)
     * @param threads        worker threads
     * @param maxQueued      tasks waiting for a worker at most
     * @param maxQueuedBytes bytes of input held by waiting or running tasks at most
     */
    public WorkerPool(String name, Executor nodeThread, int threads, int maxQueued, long maxQueuedBytes) {
        this.nodeThread = Objects.requireNonNull(nodeThread, "nodeThread");
        if (threads < 1 || maxQueued < 1 || maxQueuedBytes < 1) {
            throw new IllegalArgumentException("a pool needs a thread and room for a task: threads " + threads
                    + ", queue " + maxQueued + ", bytes " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxQueued), new DefaultThreadFactory(name, true),
                new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
    }

    /** A pool for one node: one worker per core, up to 256 tasks and 16 MiB of their input waiting. */
    public static WorkerPool forNode(String name, Executor nodeThread) {
        return new WorkerPool(name, nodeThread, Math.max(1, Runtime.getRuntime().availableProcessors()), 256,
                16L << 20);
    }

    @Override
    public <T> void run(int bytes, Supplier<T> work, Consumer<? super T> then) {
        long size = Math.max(0, bytes);
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            runInline(work, then);
            return;
        }
        try {
            workers.execute(() -> {
                Runnable handBack;
                try {
                    T result = work.get();
                    handBack = () -> then.accept(result);
                } catch (RuntimeException | Error e) {
                    handBack = () -> {
                        throw e;
                    };
                } finally {
                    queuedBytes.addAndGet(-size);
                }
                try {
                    nodeThread.execute(handBack);
                } catch (RejectedExecutionException stopped) {
                    // the node thread is shut down: the node is closing and nobody waits for the result any more
                }
            });
        } catch (RejectedExecutionException full) {
            queuedBytes.addAndGet(-size);
            runInline(work, then);
        }
    }

    private <T> void runInline(Supplier<T> work, Consumer<? super T> then) {
        ranInline.incrementAndGet();
        then.accept(work.get());
    }

    /** Work run on the caller's thread because the queue was full (by count, bytes, or closed). */
    public long ranInline() {
        return ranInline.get();
    }

    /** Stops the workers; work queued still runs, later work runs on the caller's thread. */
    @Override
    public void close() {
        workers.shutdown();
    }

    @Override
    public String toString() {
        return "WorkerPool(" + workers.getMaximumPoolSize() + " threads, " + workers.getQueue().size() + " queued)";
    }
}
