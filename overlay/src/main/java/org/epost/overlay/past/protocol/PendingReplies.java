package org.epost.overlay.past.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.protocol.messages.PastReply;
import org.epost.overlay.time.Scheduler;

/**
 * Matches replies to the requests waiting for them. Every request gets a fresh id and a timer; the first reply of
 * the expected type with that id, from the node the request was sent to, is handed to its waiter and the timer is
 * cancelled. Anything else (late, duplicate, of the wrong type, or from another node) is counted and dropped, so a
 * confused or malicious peer can neither complete a request twice nor answer one it was not asked.
 *
 * <p>Who answered is the peer of the link the reply came over, which its certificate authenticated; the sender named
 * inside a reply is not trusted. A routed request (insert, lookup and lease at the root) goes to a node not known in
 * advance: its reply is accepted from any node, and what protects it is an id nobody can guess. Ids are therefore
 * random (from a {@link java.security.SecureRandom} on a real node, seeded in simulations so that a seed replays),
 * drawn again in the rare case one is still waiting, and shared by all the protocols of the node.
 */
final class PendingReplies {
    private final Scheduler scheduler;
    private final long timeoutMillis;
    private final PastCounters counters;
    private final Random ids;
    private final Map<Long, Waiter> waiters = new HashMap<>();

    PendingReplies(Scheduler scheduler, long timeoutMillis, PastCounters counters, Random ids) {
        this.scheduler = scheduler;
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
        this.ids = ids;
    }

    /** A fresh request id, unpredictable to other nodes. */
    long nextId() {
        long id;
        do {
            id = ids.nextLong();
        } while (id == 0 || waiters.containsKey(id));
        return id;
    }

    /**
     * Waits for a reply of {@code type} to request {@code id} from {@code responder} (null: a routed request, whose
     * answer may come from whichever node is the key's root): {@code onReply} gets it, or {@code onTimeout} runs
     * once the request timeout passed without one.
     */
    <R extends PastReply> void expect(long id, Class<R> type, NodeHandle responder, Consumer<? super R> onReply,
                                      Runnable onTimeout) {
        expectWithSender(id, type, responder, (reply, sender) -> onReply.accept(reply), onTimeout);
    }

    /**
     * As {@link #expect(long, Class, NodeHandle, Consumer, Runnable)}, and {@code onReply} also gets the node the
     * reply came from (its authenticated link): for a routed request, the only trustworthy name of who answered.
     */
    <R extends PastReply> void expectWithSender(long id, Class<R> type, NodeHandle responder,
                                                          BiConsumer<? super R, NodeHandle> onReply, Runnable onTimeout) {
        Waiter waiter = new Waiter(type, responder, (reply, sender) -> onReply.accept(type.cast(reply), sender));
        waiters.put(id, waiter);
        waiter.timer = scheduler.schedule(timeoutMillis, () -> {
            if (waiters.remove(id) != null) {
                onTimeout.run();
            }
        });
    }

    /** Hands {@code reply}, which came from {@code sender}, to the request waiting for it; else counts it ignored. */
    void accept(PastReply reply, NodeHandle sender) {
        Waiter waiter = waiters.get(reply.requestId());
        if (waiter == null || !waiter.type.isInstance(reply)
                || (waiter.responder != null && !waiter.responder.id().equals(sender.id()))) {
            counters.ignoredReply();
            return;
        }
        waiters.remove(reply.requestId());
        waiter.timer.cancel();
        waiter.onReply.accept(reply, sender);
    }

    private static final class Waiter {
        final Class<? extends PastReply> type;
        final NodeHandle responder;
        final BiConsumer<PastReply, NodeHandle> onReply;
        Scheduler.Cancellable timer;

        Waiter(Class<? extends PastReply> type, NodeHandle responder, BiConsumer<PastReply, NodeHandle> onReply) {
            this.type = type;
            this.responder = responder;
            this.onReply = onReply;
        }
    }
}
