package org.epost.overlay.past.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.epost.overlay.past.protocol.messages.PastReply;
import org.epost.overlay.time.Scheduler;

/**
 * Matches replies to the requests waiting for them. Every request gets a fresh id and a timer; the first reply of
 * the expected type with that id is handed to its waiter and the timer is cancelled. Anything else (late, duplicate,
 * or of the wrong type) is counted and dropped, so a confused or malicious peer cannot complete a request twice.
 *
 * <p>Ids come from one counter per node, shared by all the protocols, so that no two requests of a node ever share an
 * id whatever their kind.
 */
final class PendingReplies {
    private final Scheduler scheduler;
    private final long timeoutMillis;
    private final PastCounters counters;
    private final Map<Long, Waiter> waiters = new HashMap<>();
    private long nextRequestId = 1;

    PendingReplies(Scheduler scheduler, long timeoutMillis, PastCounters counters) {
        this.scheduler = scheduler;
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
    }

    /** A fresh request id. */
    long nextId() {
        return nextRequestId++;
    }

    /**
     * Waits for a reply of {@code type} to request {@code id}: {@code onReply} gets it, or {@code onTimeout} runs
     * once the request timeout passed without one.
     */
    <R extends PastReply> void expect(long id, Class<R> type, Consumer<? super R> onReply, Runnable onTimeout) {
        Waiter waiter = new Waiter(type, reply -> onReply.accept(type.cast(reply)));
        waiters.put(id, waiter);
        waiter.timer = scheduler.schedule(timeoutMillis, () -> {
            if (waiters.remove(id) != null) {
                onTimeout.run();
            }
        });
    }

    /** Hands {@code reply} to the request waiting for it, if any; else counts it as ignored. */
    void accept(PastReply reply) {
        Waiter waiter = waiters.get(reply.requestId());
        if (waiter == null || !waiter.type.isInstance(reply)) {
            counters.ignoredReply();
            return;
        }
        waiters.remove(reply.requestId());
        waiter.timer.cancel();
        waiter.onReply.accept(reply);
    }

    private static final class Waiter {
        final Class<? extends PastReply> type;
        final Consumer<PastReply> onReply;
        Scheduler.Cancellable timer;

        Waiter(Class<? extends PastReply> type, Consumer<PastReply> onReply) {
            this.type = type;
            this.onReply = onReply;
        }
    }
}
