package org.epost.overlay.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The links other nodes open to this one, from accept to close (issue #15): at most the cap of them may be waiting for
 * their hello (beyond, the oldest pending of the address with most goes), each address at most its share
 * ({@link InboundShares}); once a hello proved a node, the link counts
 * against that node's share and against the cap, and at the cap a needed node's link takes the place of the least
 * recently useful link of a node not needed ({@link InboundCap}). Closes what it refuses, logs it (one line in a
 * hundred for floods) and counts it. Called on I/O threads, and on the node thread for the cap's decisions.
 */
final class InboundLinks {
    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    /** The remote address an inbound channel counts against as a pending handshake, until its hello or its end. */
    private static final AttributeKey<SocketAddress> PENDING = AttributeKey.valueOf("epost.pendingHello");
    /** Set on a link closed over the cap: what it sent before is not handed to the node. */
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("epost.refusedOverCap");

    private final int maxLinks;
    private final InboundShares shares;
    private final InboundCap cap;
    private final Executor nodeThread;
    private final Predicate<Channel> busy;
    private final Supplier<MetricSink> metrics;
    /** Connections waiting for their hello, oldest first; synchronized on itself. */
    private final Set<Channel> pending = Collections.synchronizedSet(new LinkedHashSet<>());
    private final AtomicLong evictedPending = new AtomicLong();
    private volatile Predicate<Id> needed = id -> false;

    /**
     * @param busy whether a link has messages waiting to be sent on it (never evicted: they would be lost)
     */
    InboundLinks(NettyTransport.Config config, Executor nodeThread, Predicate<Channel> busy, Supplier<MetricSink> metrics) {
        this.maxLinks = config.maxInboundLinks();
        this.shares = new InboundShares(config.inboundLinksPerNode(), config.pendingPerAddress());
        this.cap = new InboundCap(config.maxInboundLinks());
        this.nodeThread = nodeThread;
        this.busy = busy;
        this.metrics = metrics;
    }

    /** Which nodes this one's routing needs links with; called on the node thread only. */
    void setNeeded(Predicate<Id> value) {
        this.needed = Objects.requireNonNull(value, "needed");
    }

    /**
     * A new connection: counted as pending, or closed when its address has its share pending. When the cap has that
     * many pending, the oldest pending handshake of the address with the most of them is closed to make room: hosts
     * that together hold every slot until their hello times out only push out their own oldest, while an honest
     * handshake, done in milliseconds, gets through (and with it a node routing needs).
     */
    boolean admit(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (!shares.admitPending(remote)) {
            long refused = shares.refusedPending();
            // One line for the first and then every hundredth: a host flooding connections must not flood the log.
            if (refused % 100 == 1) {
                LOG.warn("Refusing an overlay connection from {}: {} connections from that address have not said hello"
                    + " yet ({} refused so since the start)", remote, shares.pendingPerAddress(), refused);
            }
            channel.close();
            return false;
        }
        channel.attr(PENDING).set(remote);
        Channel oldest = null;
        synchronized (pending) {
            if (pending.size() >= maxLinks) {
                oldest = oldestOfBusiestAddress();
                endPending(oldest); // at once, not when its close completes: the slot is the newcomer's
            }
            pending.add(channel);
        }
        if (oldest != null) {
            long evicted = evictedPending.incrementAndGet();
            metrics.get().count("epost.overlay.link.evicted-pending");
            if (evicted % 100 == 1) {
                LOG.warn("Overlay connections from other nodes: {} have not said hello yet; closing the oldest from {},"
                    + " the address with the most of them, for one from {} ({} closed so since the start)", maxLinks,
                    oldest.remoteAddress(), remote, evicted);
            }
            oldest.close();
        }
        channel.closeFuture().addListener(closed -> {
            endPending(channel);
            cap.closed(channel);
            Id peer = channel.attr(LinkHandler.PEER_ID).get();
            if (peer != null) {
                shares.closed(peer, channel);
            }
        });
        return true;
    }

    /** The pending handshake to close for a newcomer at the cap (with {@code pending} held, and at least one). */
    private Channel oldestOfBusiestAddress() {
        Map<InetAddress, Integer> perAddress = new HashMap<>();
        for (Channel waiting : pending) {
            perAddress.merge(address(waiting), 1, Integer::sum);
        }
        int most = Collections.max(perAddress.values());
        for (Channel waiting : pending) { // oldest first
            if (perAddress.get(address(waiting)) == most) {
                return waiting;
            }
        }
        throw new IllegalStateException("no pending handshake");
    }

    private static InetAddress address(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }

    private void endPending(Channel channel) {
        pending.remove(channel);
        SocketAddress remote = channel.attr(PENDING).getAndSet(null);
        if (remote != null) {
            shares.pendingDone(remote);
        }
    }

    /**
     * A link's hello proved its node: it counts against that node's share (whose oldest link goes beyond it) and
     * against the cap (decided on the node thread, where routing state may be read).
     */
    void authenticated(Channel channel, NodeHandle peer) {
        endPending(channel);
        shares.authenticated(peer.id(), channel).ifPresent(oldest -> {
            long closed = shares.closedOverShare();
            // As for pending handshakes: a node churning links gets one line per hundred, not one per link.
            if (closed % 100 == 1) {
                LOG.warn("Closing the oldest overlay link from {} at {}: that node opened more than {} links to this one"
                    + " ({} closed so since the start)", peer.id().toHex(), oldest.remoteAddress(), shares.linksPerNode(),
                    closed);
            }
            oldest.close();
        });
        if (cap.authenticated(channel, peer.id(), nowMillis())) {
            nodeThread.execute(() -> decide(channel, peer));
        }
    }

    private void decide(Channel channel, NodeHandle peer) {
        InboundCap.Decision decision = cap.overCap(channel, peer.id(), needed, busy);
        if (decision instanceof InboundCap.Evict evict) {
            metrics.get().count("epost.overlay.link.evicted");
            LOG.warn("Overlay links from other nodes at their cap of {}: closing the least recently used link of {}"
                + " at {} that may go (a node routing does not need, else a needed node's spare link), for {} ({} closed"
                + " so since the start)", maxLinks,
                evict.victimPeer() == null ? "?" : evict.victimPeer().toHex(), evict.victim().remoteAddress(),
                peer.id().toHex(), cap.evicted());
            evict.victim().close();
        } else if (decision instanceof InboundCap.Refuse) {
            metrics.get().count("epost.overlay.link.refused-over-cap");
            long refused = cap.refused();
            if (refused % 100 == 1) {
                LOG.warn("Overlay links from other nodes at their cap of {}: closing the new link of {} at {} ({}"
                    + " closed so since the start)", maxLinks, peer.id().toHex(), channel.remoteAddress(), refused);
            }
            channel.attr(REFUSED).set(true);
            channel.close();
        }
    }

    /** Whether {@code channel} was closed because it was over the cap (its messages are dropped). */
    static boolean refused(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(REFUSED).get());
    }

    /** Something was read on an inbound link after its hello. */
    void read(Channel channel) {
        cap.read(channel, nowMillis());
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    long refusedPending() {
        return shares.refusedPending();
    }

    long closedOverShare() {
        return shares.closedOverShare();
    }

    long evicted() {
        return cap.evicted();
    }

    /** Pending handshakes closed since the start to make room for a new connection at the cap. */
    long evictedPending() {
        return evictedPending.get();
    }

    long refusedOverCap() {
        return cap.refused();
    }
}
