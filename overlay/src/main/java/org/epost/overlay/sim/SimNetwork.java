package org.epost.overlay.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.transport.Transport;

/**
 * A seeded in-memory network. Nodes sit at random points of the unit square; a message takes 1 ms plus 100 ms per
 * unit of distance. Messages can be lost at random, dropped by a partition, swallowed by a crashed node, or
 * rewritten by an {@link Interceptor}; a sender learns of none of this except through its own timeouts.
 */
public final class SimNetwork {
    private static final double MILLIS_PER_UNIT = 100.0;

    private final SimScheduler scheduler;
    private final Random random;
    private final Map<Id, SimTransport> nodes = new HashMap<>();
    private final List<SimTransport> inOrder = new ArrayList<>();
    private final TraceHash trace = new TraceHash();
    private Interceptor interceptor = Interceptor.NONE;
    private double lossRate;
    /** The minority side of the current partition, or empty when there is none. */
    private Set<Id> partitioned = Set.of();
    private long delivered;

    public SimNetwork(SimScheduler scheduler, long seed) {
        this.scheduler = scheduler;
        this.random = new Random(seed);
    }

    /** Attaches a node with this id at a random position. */
    public SimTransport addNode(Id id) {
        if (nodes.containsKey(id)) {
            throw new IllegalArgumentException("a node with id " + id + " exists already");
        }
        NodeHandle handle = new NodeHandle(id, "sim:" + inOrder.size());
        SimTransport transport = new SimTransport(this, handle, random.nextDouble(), random.nextDouble(), scheduler);
        nodes.put(id, transport);
        inOrder.add(transport);
        return transport;
    }

    /** Each message is lost independently with this probability. */
    public void setLossRate(double lossRate) {
        if (lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("loss rate must be in [0, 1): " + lossRate);
        }
        this.lossRate = lossRate;
    }

    /**
     * From now on every message arriving goes through {@code interceptor} first; {@link Interceptor#NONE} to stop.
     * This is how a scenario plays a Byzantine participant that the nodes' own code never would be: a holder handing
     * out bytes it did not check, a client skipping its own checks, a link corrupting what it carries.
     */
    public void setInterceptor(Interceptor interceptor) {
        this.interceptor = interceptor == null ? Interceptor.NONE : interceptor;
    }

    /** Cuts every link between {@code side} and the rest, until {@link #heal}. */
    public void partition(Collection<Id> side) {
        this.partitioned = new HashSet<>(side);
    }

    public void heal() {
        this.partitioned = Set.of();
    }

    /** The node stops: it sends and receives nothing, and its timers no longer fire. */
    public void crash(Id id) {
        SimTransport transport = nodes.get(id);
        if (transport == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        transport.crash();
    }

    public boolean isCrashed(Id id) {
        SimTransport transport = nodes.get(id);
        return transport == null || transport.isCrashed();
    }

    /** Messages delivered so far. */
    public long deliveredMessages() {
        return delivered;
    }

    /** Adds an application-level event (e.g. a lookup delivered) to the trace. */
    public void recordEvent(Id at, Id subject, String type) {
        trace.record(scheduler.now(), at, subject, type);
    }

    /** SHA-256 over every delivered message and recorded event so far, in order. */
    public String traceHash() {
        return trace.hex();
    }

    long proximity(SimTransport from, NodeHandle peer) {
        SimTransport to = nodes.get(peer.id());
        return to == null ? Transport.PROXIMITY_UNKNOWN : latencyMillis(from, to);
    }

    void send(SimTransport from, NodeHandle to, Object message) {
        SimTransport target = nodes.get(to.id());
        if (target == null || !target.localHandle().equals(to)) {
            return; // nobody listens at that address
        }
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            return;
        }
        NodeHandle sender = from.localHandle();
        scheduler.schedule(latencyMillis(from, target), () -> {
            if (target.isCrashed() || separated(sender.id(), to.id())) {
                return;
            }
            Object onWire = interceptor.intercept(sender, to, message);
            if (onWire == null) {
                return;
            }
            delivered++;
            trace.record(scheduler.now(), sender.id(), to.id(), onWire.getClass().getSimpleName());
            target.receive(sender, onWire);
        });
    }

    private boolean separated(Id a, Id b) {
        return !partitioned.isEmpty() && partitioned.contains(a) != partitioned.contains(b);
    }

    private static long latencyMillis(SimTransport a, SimTransport b) {
        double dx = a.x - b.x;
        double dy = a.y - b.y;
        return 1 + Math.round(Math.sqrt(dx * dx + dy * dy) * MILLIS_PER_UNIT);
    }

    /**
     * Sees each message as it arrives, before its addressee does (after latency, loss, partitions and crashes had
     * their say), and decides what is delivered instead: the same message, another one, or nothing. It may send
     * further messages itself through a node's {@link SimTransport}, e.g. an answer in the addressee's name, at the
     * very time the addressee would have. Runs on the simulation's thread.
     */
    @FunctionalInterface
    public interface Interceptor {
        /** Lets every message through unchanged. */
        Interceptor NONE = (from, to, message) -> message;

        /** @return what {@code to} receives from {@code from} instead of {@code message}; null: nothing */
        Object intercept(NodeHandle from, NodeHandle to, Object message);
    }
}
