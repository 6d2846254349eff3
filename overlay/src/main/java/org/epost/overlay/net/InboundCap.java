package org.epost.overlay.net;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.epost.overlay.id.Id;

import io.netty.channel.Channel;

/**
 * The inbound link cap once links said hello (issue #15). Shares per node and per address ({@link InboundShares})
 * keep one sender from filling it, but many certified nodes together still can; then the nodes this one's routing
 * needs (its leaf set, routing table, or a node closer than a leaf-set member) must still get in, or a few hundred
 * certified identities lock the ring out of a peer. So at the cap a link from a needed node closes the least recently
 * useful link it can take ({@link #overCap}: a node not needed first, then a needed node's spare link, never a needed
 * node's last one). A link from a node not needed is closed instead: strangers over the cap are refused as before.
 *
 * <p>What a hostile certified node can still do: its id is fixed by its certificate, so it is needed only where it
 * truly is a leaf-set or routing-table member (or closer than one) of this node; such links are never evicted by
 * others, but each such node is held to its share per node. Many identities far from this node only evict each
 * other's links and strangers' links.
 *
 * <p>Thread-safe: links are counted on I/O threads, {@link #overCap} runs on the node thread (where {@code needed},
 * which reads the routing state, may be called).
 */
final class InboundCap {
    private final int maxLinks;
    /** Authenticated inbound links, with the time (ms, monotonic) anything was last read on each. */
    private final Map<Channel, Long> lastRead = new ConcurrentHashMap<>();
    private final Map<Channel, Id> peers = new ConcurrentHashMap<>();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    InboundCap(int maxLinks) {
        if (maxLinks < 1) {
            throw new IllegalArgumentException("the inbound cap must be positive, not " + maxLinks);
        }
        this.maxLinks = maxLinks;
    }

    /** Counts an inbound link that said hello; true when that takes the open links over the cap. */
    boolean authenticated(Channel channel, Id peer, long nowMillis) {
        peers.put(channel, peer);
        lastRead.put(channel, nowMillis);
        return openLinks() > maxLinks;
    }

    /** Something was read on an authenticated inbound link: it is in use. */
    void read(Channel channel, long nowMillis) {
        lastRead.computeIfPresent(channel, (c, before) -> nowMillis);
    }

    void closed(Channel channel) {
        lastRead.remove(channel);
        peers.remove(channel);
    }

    /** What to do about {@code newcomer} of {@code peer}, which took the open links over the cap. */
    sealed interface Decision {
    }

    /** The cap has room again (a link closed meanwhile): keep it. */
    record Keep() implements Decision {
    }

    /** Close {@code victim} (a link of a node not needed, least recently useful) to keep the newcomer. */
    record Evict(Channel victim, Id victimPeer) implements Decision {
    }

    /** Close the newcomer: its node is not needed, or every other link is the last one of a needed node. */
    record Refuse() implements Decision {
    }

    /**
     * Decides, on the node thread, about a newcomer over the cap: {@code needed} tells whether routing needs a node,
     * {@code busy} whether a link has messages waiting to be sent on it (an eviction would lose them). A needed
     * newcomer takes the place of, in this order, the least recently read link of: a node not needed with nothing
     * waiting; a node not needed with messages waiting (they are lost as on a broken link: a node that stops reading
     * must not make its links untouchable); a needed node that keeps another inbound link here, with nothing waiting,
     * then with messages waiting. The last inbound link of a needed node is never taken (a leaf-set neighbour keeps
     * its way in), so with only those left the newcomer is refused.
     */
    Decision overCap(Channel newcomer, Id peer, Predicate<Id> needed, Predicate<Channel> busy) {
        if (!newcomer.isOpen() || openLinks() <= maxLinks) {
            return new Keep();
        }
        if (!needed.test(peer)) {
            refused.incrementAndGet();
            return new Refuse();
        }
        // the newcomer counts: a needed node's older link may go for its new one
        Map<Id, Long> linksPerNode = peers.entrySet().stream()
            .filter(entry -> entry.getKey().isOpen())
            .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting()));
        Optional<Map.Entry<Channel, Long>> victim = lastRead.entrySet().stream()
            .filter(entry -> entry.getKey() != newcomer && entry.getKey().isOpen())
            .filter(entry -> rank(entry.getKey(), needed, busy, linksPerNode) < UNTOUCHABLE)
            .min(Comparator.<Map.Entry<Channel, Long>>comparingInt(entry -> rank(entry.getKey(), needed, busy,
                linksPerNode)).thenComparing(Map.Entry.comparingByValue()));
        if (victim.isEmpty()) {
            refused.incrementAndGet();
            return new Refuse();
        }
        Channel chosen = victim.get().getKey();
        evicted.incrementAndGet();
        return new Evict(chosen, peers.get(chosen));
    }

    private static final int UNTOUCHABLE = 4;

    /** How readily a link goes for a needed newcomer, 0 first; {@link #UNTOUCHABLE}: the last link of a needed node. */
    private int rank(Channel link, Predicate<Id> needed, Predicate<Channel> busy, Map<Id, Long> linksPerNode) {
        Id node = peers.get(link);
        int waiting = busy.test(link) ? 1 : 0;
        if (node == null || !needed.test(node)) {
            return waiting;
        }
        return linksPerNode.getOrDefault(node, 0L) > 1 ? 2 + waiting : UNTOUCHABLE;
    }

    private long openLinks() {
        return lastRead.keySet().stream().filter(Channel::isOpen).count();
    }

    int maxLinks() {
        return maxLinks;
    }

    /** Links of nodes not needed closed since the start to let a needed node in. */
    long evicted() {
        return evicted.get();
    }

    /** Links closed after their hello since the start because the cap was reached. */
    long refused() {
        return refused.get();
    }
}
