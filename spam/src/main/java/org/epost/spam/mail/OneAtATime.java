package org.epost.spam.mail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the publications of one signed block one after another: two at once would both sign the version after the
 * newest found, and one of the two changes would be lost.
 */
final class OneAtATime<K> {
    private final ConcurrentHashMap<K, CompletableFuture<?>> last = new ConcurrentHashMap<>();

    /** Starts {@code operation} once the previous one of {@code key} is done (whatever its outcome). */
    <T> CompletableFuture<T> run(K key, Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> next = new CompletableFuture<>();
        CompletableFuture<?> previous = last.put(key, next);
        (previous == null ? CompletableFuture.completedFuture(null) : previous.handle((done, failure) -> null))
            .thenCompose(ignored -> operation.get())
            .whenComplete((done, failure) -> {
                last.remove(key, next);
                if (failure != null) {
                    next.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
                } else {
                    next.complete(done);
                }
            });
        return next;
    }
}
