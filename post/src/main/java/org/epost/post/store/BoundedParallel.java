package org.epost.post.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * Runs tasks 0..count-1 with at most {@code window} of them in flight, never blocking a thread: a task starts when
 * an earlier one completes. The result completes when all tasks succeeded, or exceptionally with the first failure
 * (after which no further task starts; tasks already in flight finish on their own). Safe when tasks complete on any
 * thread, or synchronously (a trampoline keeps the stack flat).
 */
public final class BoundedParallel {
    private final int count;
    private final int window;
    private final IntFunction<CompletableFuture<?>> task;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private int next;
    private int inFlight;
    private int done;
    private boolean pumping;
    private boolean again;

    private BoundedParallel(int count, int window, IntFunction<CompletableFuture<?>> task) {
        this.count = count;
        this.window = window;
        this.task = task;
    }

    public static CompletableFuture<Void> run(int count, int window, IntFunction<CompletableFuture<?>> task) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        BoundedParallel run = new BoundedParallel(count, window, task);
        if (count == 0) {
            run.result.complete(null);
        } else {
            run.pump();
        }
        return run.result;
    }

    private void pump() {
        synchronized (this) {
            if (pumping) {
                again = true;
                return;
            }
            pumping = true;
        }
        while (true) {
            int index;
            synchronized (this) {
                if (result.isDone() || next >= count || inFlight >= window) {
                    if (!again) {
                        pumping = false;
                        return;
                    }
                    again = false;
                    continue;
                }
                index = next++;
                inFlight++;
            }
            CompletableFuture<?> started;
            try {
                started = task.apply(index);
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((value, error) -> finished(error));
        }
    }

    private void finished(Throwable error) {
        boolean all;
        synchronized (this) {
            inFlight--;
            done++;
            all = done == count;
        }
        if (error != null) {
            result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error);
        } else if (all) {
            result.complete(null);
        }
        pump();
    }
}
