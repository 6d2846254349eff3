package org.epost.mailbox.mail;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageSkeleton;

/**
 * Skeletons read ahead of the reader that will ask for them. A FETCH of 1,000 headers after a restart reads 1,000
 * sealed skeleton files (read, key derivation, AES-GCM, decode) one after the other on James's FETCH thread, which
 * then also parses and writes each header; here they are read on threads of their own while James works on the
 * previous messages, so a FETCH waits for the slower of the two instead of their sum.
 *
 * <p>A read asked ahead is claimed by whoever comes first: a reader thread, or the reader that asks for it while it
 * is still queued (then it reads it itself instead of waiting behind the queue). A reader asking for a read that has
 * started waits for it. Nothing stays pending once read, failed or refused (a full queue refuses; the reader then
 * reads it itself), so an abandoned FETCH leaves nothing behind but the skeletons kept by the caller's loader.
 */
final class SkeletonReadAhead {
    /** Loads one skeleton (and keeps it where the next reader looks first). */
    interface Loader {
        MessageSkeleton load(MessageReference reference) throws IOException;
    }

    /**
     * Two daemon threads (the machine a peer runs on may have two cores, one of them James's FETCH thread) and a
     * bounded queue: read-aheads are an optimization, refused rather than queued without end.
     */
    static Executor defaultExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), runnable -> {
                Thread thread = new Thread(runnable, "epost-skeleton-reads");
                thread.setDaemon(true);
                return thread;
            });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static final class Pending {
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<MessageSkeleton> result = new CompletableFuture<>();
    }

    private final Executor executor;
    private final ConcurrentHashMap<MessageReference, Pending> pending = new ConcurrentHashMap<>();

    SkeletonReadAhead(Executor executor) {
        this.executor = executor;
    }

    /** Has {@code reference} read by {@code loader} on a reader thread, unless a read of it is pending already. */
    void ahead(MessageReference reference, Loader loader) {
        Pending fresh = new Pending();
        if (pending.putIfAbsent(reference, fresh) != null) {
            return;
        }
        try {
            executor.execute(() -> {
                if (fresh.claimed.compareAndSet(false, true)) {
                    load(reference, fresh, loader);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(reference, fresh);
        }
    }

    /** The skeleton of {@code reference}: the pending read's result, or read here by {@code loader}. */
    MessageSkeleton get(MessageReference reference, Loader loader) throws IOException {
        Pending read = pending.get(reference);
        if (read == null) {
            return loader.load(reference);
        }
        if (read.claimed.compareAndSet(false, true)) {
            load(reference, read, loader);
        }
        try {
            return read.result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? new IOException(io.getMessage(), io)
                : new IOException("skeleton of " + reference.top().handle() + " cannot be read: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the skeleton of " + reference.top().handle(), e);
        }
    }

    /** Reads asked ahead and not finished yet. */
    int pending() {
        return pending.size();
    }

    private void load(MessageReference reference, Pending read, Loader loader) {
        try {
            read.result.complete(loader.load(reference));
        } catch (IOException | RuntimeException e) {
            read.result.completeExceptionally(e);
        } finally {
            pending.remove(reference, read);
        }
    }
}
