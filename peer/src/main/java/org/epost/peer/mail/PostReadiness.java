package org.epost.peer.mail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Singleton;

/**
 * When this peer's POST services are up: a future completed by {@link PostApplication} once its services run on the
 * overlay node (before the node joins), failed if they cannot start, replaced by a failed one when they stop. It
 * depends on nothing, so that components built before the overlay starts (the mailbox backend, the SMTP hooks) can be
 * given it and await it. On a peer without ePOST domains it never completes.
 */
@Singleton
public final class PostReadiness {
    private volatile CompletableFuture<PostServices> services = new CompletableFuture<>();

    /** The services, once they run. */
    public CompletableFuture<PostServices> services() {
        return services;
    }

    /**
     * The services, waiting for them at most {@code timeout}.
     *
     * @throws IllegalStateException naming {@code what} waited when they do not start in time, failed to start, or
     *                               the wait is interrupted
     */
    public PostServices await(Duration timeout, String what) {
        try {
            return services.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The ePOST services did not start within " + timeout.toSeconds() + " s: "
                + what + " unavailable", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The ePOST services failed to start (" + e.getCause().getMessage() + "): "
                + what + " unavailable", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the ePOST services", e);
        }
    }

    /**
     * The services if they run now, without waiting: for callers that must not block and answer "not yet" themselves
     * (SMTP hooks, mailets, provisioning, the start-up of other services).
     */
    public Optional<PostServices> ifRunning() {
        CompletableFuture<PostServices> current = services;
        return current.isDone() && !current.isCompletedExceptionally() ? Optional.of(current.join()) : Optional.empty();
    }

    void started(PostServices running) {
        if (!services.complete(running)) {
            services = CompletableFuture.completedFuture(running);
        }
    }

    void failed(Throwable cause) {
        if (!services.completeExceptionally(cause)) {
            services = CompletableFuture.failedFuture(cause);
        }
    }

    void stopped() {
        CompletableFuture<PostServices> previous = services;
        services = CompletableFuture.failedFuture(new IllegalStateException("the ePOST services are stopped"));
        previous.completeExceptionally(new IllegalStateException("the ePOST services are stopped"));
    }
}
