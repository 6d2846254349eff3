package org.epost.overlay.past.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.block.Block;

/**
 * Reports how long each PAST operation a client asked for took and how it ended: {@code epost.past.insert}
 * (timer) with {@code epost.past.insert.<status>} counts, {@code epost.past.lookup} with {@code .found},
 * {@code .missing} and {@code .failed}, and {@code epost.past.lease} with {@code .failed}. Wall-clock time is
 * read only for the report, never by the protocol.
 */
final class OperationTimer {
    private OperationTimer() {
    }

    static CompletableFuture<InsertResult> insert(MetricSink metrics, CompletableFuture<InsertResult> result) {
        return timed(metrics, result, "epost.past.insert", insert -> insert.status().name().toLowerCase(Locale.ROOT));
    }

    static CompletableFuture<Optional<Block>> lookup(MetricSink metrics, CompletableFuture<Optional<Block>> result) {
        return timed(metrics, result, "epost.past.lookup", found -> found.isPresent() ? "found" : "missing");
    }

    static CompletableFuture<Integer> leaseExtension(MetricSink metrics, CompletableFuture<Integer> result) {
        return timed(metrics, result, "epost.past.lease", holders -> holders > 0 ? "extended" : "unheld");
    }

    /**
     * The future the caller gets: it completes as {@code result} does, once the figures are recorded, so that whoever
     * sees the operation done also sees it counted.
     */
    private static <T> CompletableFuture<T> timed(MetricSink metrics, CompletableFuture<T> result, String name,
                                                  Function<T, String> outcome) {
        if (metrics == MetricSink.NONE) {
            return result;
        }
        long start = System.nanoTime();
        CompletableFuture<T> reported = new CompletableFuture<>();
        result.whenComplete((value, failure) -> {
            metrics.time(name, System.nanoTime() - start);
            metrics.count(name + "." + (failure != null ? "failed" : outcome.apply(value)));
            if (failure != null) {
                reported.completeExceptionally(failure);
            } else {
                reported.complete(value);
            }
        });
        return reported;
    }
}
