package org.epost.durability.glacier;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.epost.durability.glacier.messages.GlacierReply;
import org.epost.durability.glacier.store.FragmentStore;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;

/**
 * What Glacier's parts on one node share: endpoint, scheduler, configuration, store, verifier, counters, a seeded
 * random stream (so a simulation replays) and the requests waiting for answers. Requests carry ids from one counter;
 * an answer nobody waits for (late, duplicate, wrong type) is counted and dropped. Used only on the node's thread.
 */
final class GlacierContext {
    final Endpoint endpoint;
    final NodeHandle self;
    final Scheduler scheduler;
    final GlacierConfig config;
    final LocalFragments local;
    final ObjectVerifier verifier;
    final GlacierCounters counters = new GlacierCounters();
    final Random random;
    private final Map<Long, Waiter> waiters = new HashMap<>();
    private long nextRequestId = 1;

    GlacierContext(Endpoint endpoint, Scheduler scheduler, GlacierConfig config, ObjectVerifier verifier,
                   FragmentStore store) {
        this.endpoint = endpoint;
        this.self = endpoint.localHandle();
        this.scheduler = scheduler;
        this.config = config;
        this.local = new LocalFragments(config.quotaBytes(), store);
        this.verifier = verifier;
        this.random = new Random(self.id().toBigInteger().longValue() ^ 0x61ac_1e4L);
    }

    /** The indexes 0..n-1 in this node's seeded random order: which holders a wave of requests asks first. */
    List<Integer> shuffledIndexes(int n) {
        List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        return order;
    }

    long nextId() {
        return nextRequestId++;
    }

    <R extends GlacierReply> void expect(long id, Class<R> type, Consumer<? super R> onReply, Runnable onTimeout) {
        expectFrom(id, type, (reply, from) -> onReply.accept(reply), onTimeout);
    }

    /**
     * As {@link #expect}, and {@code onReply} also learns who answered: the node the link authenticated, this node
     * itself for an answer it sent itself, or null when the answer did not come straight over a link.
     */
    <R extends GlacierReply> void expectFrom(long id, Class<R> type, BiConsumer<? super R, NodeHandle> onReply,
                                             Runnable onTimeout) {
        Waiter waiter = new Waiter(type, (reply, from) -> onReply.accept(type.cast(reply), from));
        waiters.put(id, waiter);
        waiter.timer = scheduler.schedule(config.requestTimeoutMillis(), () -> {
            if (waiters.remove(id) != null) {
                onTimeout.run();
            }
        });
    }

    void accept(GlacierReply reply, NodeHandle from) {
        Waiter waiter = waiters.get(reply.requestId());
        if (waiter == null || !waiter.type.isInstance(reply)) {
            counters.ignoredReplies++;
            return;
        }
        waiters.remove(reply.requestId());
        waiter.timer.cancel();
        waiter.onReply.accept(reply, from);
    }

    void route(Id key, Message message, boolean maintenance) {
        count(maintenance);
        endpoint.route(key, message, null);
    }

    void send(NodeHandle to, Message message, boolean maintenance) {
        count(maintenance);
        endpoint.routeDirect(to, message);
    }

    private void count(boolean maintenance) {
        counters.messagesSent++;
        if (maintenance) {
            counters.maintenanceMessages++;
        }
    }

    void onNodeThread(Runnable task) {
        scheduler.schedule(0, task);
    }

    /**
     * The key range this node is responsible for, [from, to): from halfway to its nearest counter-clockwise
     * neighbour to halfway to its nearest clockwise one; the whole ring (from = to) when it knows no neighbour.
     */
    Id[] ownRange() {
        List<NodeHandle> ccw = endpoint.leafSet().counterClockwise();
        List<NodeHandle> cw = endpoint.leafSet().clockwise();
        if (ccw.isEmpty() || cw.isEmpty()) {
            return new Id[] {self.id(), self.id()};
        }
        Id from = midpoint(ccw.get(0).id(), self.id());
        Id to = midpoint(self.id(), cw.get(0).id());
        return new Id[] {from, to};
    }

    /**
     * The first key along the clockwise arc from a to b that is closer to b than to a, by Pastry's own rule
     * ({@link Id#isCloserTo}: a tie goes to the lower id), so that a range ends exactly where the node routing
     * delivers to changes. With a tie given to b instead, a walk's next cursor (the previous range's end) went, half
     * the time, to the node whose range ended there; that node claimed the rest of the walk, and every walk stopped
     * after about two nodes: the survivors bordering a large failed stretch learnt only the objects of the few
     * nodes they reached (4,000 simulated nodes: 42 of 100 objects, for hours).
     */
    static Id midpoint(Id a, Id b) {
        BigInteger distance = a.clockwiseDistanceTo(b);
        Id middle = a.add(distance.shiftRight(1));
        // An odd distance: the middle is still closer to a. An even one: the middle is a tie, b's only if b is lower.
        return distance.testBit(0) || a.compareTo(b) < 0 ? middle.add(BigInteger.ONE) : middle;
    }

    private static final class Waiter {
        final Class<? extends GlacierReply> type;
        final BiConsumer<GlacierReply, NodeHandle> onReply;
        org.epost.overlay.time.Scheduler.Cancellable timer;

        Waiter(Class<? extends GlacierReply> type, BiConsumer<GlacierReply, NodeHandle> onReply) {
            this.type = type;
            this.onReply = onReply;
        }
    }
}
