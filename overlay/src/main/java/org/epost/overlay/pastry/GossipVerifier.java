package org.epost.overlay.pastry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.pastry.messages.Probe;
import org.epost.overlay.time.Scheduler;
import org.epost.overlay.transport.Transport;

/**
 * Nodes this node was told about (routing rows, other nodes' leaf sets) are not used until they answered a probe
 * over a link their certificate authenticated: only then does the node learn the (id, address) pair, from the link
 * itself. Without this, one hostile node could advertise (victim's id, its own address) and attract the victim's
 * traffic, or have the victim declared dead by every node that tried the bogus address. A pair that does not answer
 * is simply forgotten: it says nothing about the node whose id it carries, so nobody is suspected for it.
 *
 * <p>At most {@link #MAX_PENDING} probes are outstanding; further offers wait for the next gossip round. Node thread
 * only.
 */
final class GossipVerifier {
    static final int MAX_PENDING = 256;

    private final Transport transport;
    private final Scheduler scheduler;
    private final long timeoutMillis;
    private final Map<NodeHandle, Scheduler.Cancellable> pending = new LinkedHashMap<>();

    GossipVerifier(Transport transport, Scheduler scheduler, long timeoutMillis) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.timeoutMillis = timeoutMillis;
    }

    /** Probes {@code told}, a pair this node did not learn from the node itself, unless it is probed already. */
    void offer(NodeHandle told) {
        if (pending.containsKey(told) || pending.size() >= MAX_PENDING) {
            return;
        }
        pending.put(told, scheduler.schedule(timeoutMillis, () -> pending.remove(told)));
        transport.send(told, new Probe());
    }

    /** A message came over an authenticated link from {@code node}: whatever was told about it is settled. */
    void heardFrom(NodeHandle node) {
        Scheduler.Cancellable timer = pending.remove(node);
        if (timer != null) {
            timer.cancel();
        }
    }

    /**
     * The transport could not reach {@code peer}; true if that was only a told pair being checked (forgotten now),
     * so that the caller does not hold it against a node it knows.
     */
    boolean unreachable(NodeHandle peer) {
        Scheduler.Cancellable timer = pending.remove(peer);
        if (timer == null) {
            return false;
        }
        timer.cancel();
        return true;
    }

    int pending() {
        return pending.size();
    }
}
