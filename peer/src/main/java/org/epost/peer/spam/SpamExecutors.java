package org.epost.peer.spam;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The threads of the spam defences on a peer, owned in one place so that they end when the peer stops: James's
 * lifecycle runs {@link #close()} ({@code @PreDestroy} works on what Guice constructs, not on what a
 * {@code @Provides} method returns, hence a class of its own).
 */
@Singleton
public final class SpamExecutors {
    /** How long a stopping peer waits for a puzzle being solved or a first contact being sent. */
    private static final long STOP_WAIT_SECONDS = 5;

    /** Publishes the puzzle base in the users' identity blocks, away from the thread that starts POST. */
    private final ExecutorService puzzleBase =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("epost-puzzle-base", true));
    /** Solving is CPU-bound: one core of the two a small peer has, so a bulk sender cannot take the whole peer. */
    private final ExecutorService solving =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("epost-puzzles", true));
    /** First contacts' PAST lookups and sends, which wait on the network. */
    private final ExecutorService io =
        Executors.newFixedThreadPool(2, new DefaultThreadFactory("epost-first-contact", true));

    @Inject
    public SpamExecutors() {
        // the executors start their threads on first use
    }

    ExecutorService puzzleBase() {
        return puzzleBase;
    }

    ExecutorService solving() {
        return solving;
    }

    ExecutorService io() {
        return io;
    }

    /** Stops taking work, interrupts a long solve, and waits a little for the threads to end. */
    @PreDestroy
    public void close() throws InterruptedException {
        List<ExecutorService> all = List.of(puzzleBase, solving, io);
        all.forEach(ExecutorService::shutdownNow);
        for (ExecutorService executor : all) {
            executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
