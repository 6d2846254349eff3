package org.epost.overlay.net;

import java.util.concurrent.TimeUnit;

import org.epost.overlay.time.Offload;
import org.epost.overlay.time.Scheduler;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * The production {@link Scheduler}: one Netty event executor is a node's single logical thread. Every timer and
 * every message the transport hands to the node runs on it, so the node's state machine needs no locks, exactly as
 * in the simulator.
 */
public final class EventLoopScheduler implements Scheduler {
    private final EventExecutor executor;
    private final Offload offload;

    public EventLoopScheduler(EventExecutor executor) {
        this(executor, Offload.INLINE);
    }

    /** A node thread whose CPU-heavy work goes to {@code offload} (a {@link org.epost.overlay.time.WorkerPool}). */
    public EventLoopScheduler(EventExecutor executor, Offload offload) {
        this.executor = executor;
        this.offload = offload;
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Offload offload() {
        return offload;
    }

    /** Runs {@code task} on the node's thread. */
    public void execute(Runnable task) {
        executor.execute(task);
    }

    public boolean inNodeThread() {
        return executor.inEventLoop();
    }

    /** Tasks waiting for the node thread: how far behind the node is (links stop reading when it is too far). */
    public int backlog() {
        return executor instanceof SingleThreadEventExecutor ? ((SingleThreadEventExecutor) executor).pendingTasks() : 0;
    }
}
