package org.epost.overlay.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.id.Id;

import io.netty.channel.Channel;

/**
 * Shares of the inbound link cap, so that no single sender fills it. Before its hello, a connection counts against the
 * remote address it came from: at most {@code pendingPerAddress} handshakes may be pending per address, so one host
 * cannot hold the cap with connections that never authenticate. Once its hello proved a node id, a link counts against
 * that id: at most {@code linksPerNode} inbound links per node (a normal peer needs one; a few allow for a restart
 * while its old, half-open links are still here). Beyond the share the <em>oldest</em> link of that node is closed,
 * not the new one: a peer that crashed and came back keeps its fresh link instead of being locked out by its own dead
 * ones until they idle out, and a hostile node gains nothing, since it only churns its own links. Thread-safe (I/O
 * threads of all links call it); counts what it refused, for status pages.
 */
final class InboundShares {
    /** Inbound links one certified node may hold open to this node at once. */
    static final int DEFAULT_LINKS_PER_NODE = 4;
    /** Inbound connections from one address that may be in TLS or waiting for their hello at once. */
    static final int DEFAULT_PENDING_PER_ADDRESS = 64;

    private final int linksPerNode;
    private final int pendingPerAddress;
    private final Map<InetAddress, Integer> pending = new HashMap<>();
    private final Map<Id, Deque<Channel>> byNode = new HashMap<>();
    private final AtomicLong refusedPending = new AtomicLong();
    private final AtomicLong closedOverShare = new AtomicLong();

    InboundShares(int linksPerNode, int pendingPerAddress) {
        if (linksPerNode < 1 || pendingPerAddress < 1) {
            throw new IllegalArgumentException("inbound shares must be positive, not " + linksPerNode + " links per node and "
                + pendingPerAddress + " pending per address");
        }
        this.linksPerNode = linksPerNode;
        this.pendingPerAddress = pendingPerAddress;
    }

    /** Counts a new connection as pending for its address; false (and counted as refused) when that address is full. */
    synchronized boolean admitPending(SocketAddress remote) {
        InetAddress address = address(remote);
        int now = pending.getOrDefault(address, 0);
        if (now >= pendingPerAddress) {
            refusedPending.incrementAndGet();
            return false;
        }
        pending.put(address, now + 1);
        return true;
    }

    /** The connection from {@code remote} is no longer pending: its hello checked out, or it closed. */
    synchronized void pendingDone(SocketAddress remote) {
        pending.computeIfPresent(address(remote), (address, count) -> count > 1 ? count - 1 : null);
    }

    /**
     * Counts {@code channel} as an inbound link of {@code node}; answers the oldest link of that node when it now holds
     * more than its share, for the caller to close (counted here).
     */
    synchronized Optional<Channel> authenticated(Id node, Channel channel) {
        Deque<Channel> links = byNode.computeIfAbsent(node, id -> new ArrayDeque<>());
        links.addLast(channel);
        if (links.size() <= linksPerNode) {
            return Optional.empty();
        }
        closedOverShare.incrementAndGet();
        return Optional.of(links.removeFirst());
    }

    /** An inbound link of {@code node} closed. */
    synchronized void closed(Id node, Channel channel) {
        Deque<Channel> links = byNode.get(node);
        if (links != null && links.remove(channel) && links.isEmpty()) {
            byNode.remove(node);
        }
    }

    int linksPerNode() {
        return linksPerNode;
    }

    int pendingPerAddress() {
        return pendingPerAddress;
    }

    /** Connections refused since the start because their address had its share of pending handshakes. */
    long refusedPending() {
        return refusedPending.get();
    }

    /** Links closed since the start because their node opened more than its share. */
    long closedOverShare() {
        return closedOverShare.get();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }
}
