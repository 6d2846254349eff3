package org.epost.overlay.pastry;

import java.math.BigInteger;
import java.util.function.Predicate;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.messages.LeafSetLookup;

/**
 * Looks for the nodes beyond a side of the leaf set after members of that side died. Usually the farthest member
 * left knows them; but when L/2 consecutive nodes failed at once (at a uniform failure of 60% and L = 16, 0.6^8 = 1.7%
 * of the survivors of a large ring) no member of that side is left to ask, and the nodes at the two ends of the gap
 * would never learn of each other: whoever happens to send them a message fills the short side, mostly far away, and
 * the gap stays hidden behind them. So a node that lost a member routes a {@link LeafSetLookup} to a key beyond that
 * side, about L/2 nodes' worth of ring away, starting at a routing-table entry outside the leaf set (the members
 * could route it back here); the node the key reaches answers with its leaf set, and each learns of the other. A
 * lookup that comes back to this node (no live node known nearer the key) is sent again twice as far, at most
 * {@link #MAX_DOUBLINGS} times; until answered, one more goes out per keep-alive round. The search goes on while
 * the survivors take themselves for a whole small ring (a few nodes between two such runs, or one node alone): only
 * a node outside can tell them otherwise. Node thread only.
 */
final class LeafSetGapSearch {
    static final int MAX_DOUBLINGS = 24;
    private static final BigInteger HALF_RING = BigInteger.ONE.shiftLeft(Id.BITS - 1);
    /** Where to look first with no member left to measure by: 1/256 of the ring. */
    private static final BigInteger NO_MEMBER_SPAN = BigInteger.ONE.shiftLeft(Id.BITS - 8);

    /** Routes {@code lookup} to {@code key} with {@code firstHop} as its first hop. */
    interface Router {
        void route(Id key, LeafSetLookup lookup, NodeHandle firstHop);
    }

    private final NodeHandle self;
    private final LeafSet leafSet;
    private final RoutingTable routingTable;
    private final Predicate<Id> suspected;
    private final Router router;
    /** Per side (0 clockwise, 1 counter-clockwise): searching, since a member of the side died, until answered. */
    private final boolean[] searching = new boolean[2];
    /** Per side: how often the lookup came back since the search began. */
    private final int[] doublings = new int[2];

    LeafSetGapSearch(NodeHandle self, LeafSet leafSet, RoutingTable routingTable, Predicate<Id> suspected,
                     Router router) {
        this.self = self;
        this.leafSet = leafSet;
        this.routingTable = routingTable;
        this.suspected = suspected;
        this.router = router;
    }

    /** A member of the {@code clockwise} side died: search beyond it, unless a search is on already. */
    void lost(boolean clockwise) {
        int side = clockwise ? 0 : 1;
        if (!searching[side]) {
            searching[side] = true;
            search(clockwise);
        }
    }

    /** Sends one more lookup for each side searched and not answered yet (a lookup may be lost). */
    void search() {
        search(true);
        search(false);
    }

    /** Our own lookup reached us: nobody known is nearer its key, so look farther. */
    void cameBack(LeafSetLookup lookup) {
        int side = lookup.clockwise() ? 0 : 1;
        if (doublings[side] < MAX_DOUBLINGS) {
            doublings[side]++;
            search(lookup.clockwise());
        }
    }

    /** A node beyond the gap answered our lookup for that side: the search is over. */
    void answered(boolean clockwise) {
        int side = clockwise ? 0 : 1;
        searching[side] = false;
        doublings[side] = 0;
    }

    private void search(boolean clockwise) {
        int side = clockwise ? 0 : 1;
        if (!searching[side]) {
            return;
        }
        Id key = target(clockwise);
        NodeHandle first = firstHop(key);
        if (first != null) {
            router.route(key, new LeafSetLookup(self, clockwise), first);
        }
    }

    /**
     * As far beyond us as the other side reaches (about L/2 nodes' worth of ring; while searching, this side may hold
     * only far strangers), doubled per lookup that came back, at most half the ring.
     */
    private Id target(boolean clockwise) {
        NodeHandle other = clockwise ? leafSet.farthestCounterClockwise() : leafSet.farthestClockwise();
        if (other == null) {
            other = clockwise ? leafSet.farthestClockwise() : leafSet.farthestCounterClockwise();
        }
        BigInteger known = other == null ? NO_MEMBER_SPAN : self.id().distance(other.id()).max(BigInteger.ONE);
        BigInteger span = known.shiftLeft(doublings[clockwise ? 0 : 1]).min(HALF_RING);
        return self.id().add(clockwise ? span : span.negate());
    }

    /** The routing-table entry outside the leaf set sharing the longest prefix with {@code key}, then the nearest. */
    private NodeHandle firstHop(Id key) {
        NextHopSelector.Candidate best = new NextHopSelector.Candidate();
        for (NodeHandle entry : routingTable.entries()) {
            if (!leafSet.contains(entry.id()) && !suspected.test(entry.id())) {
                best.offer(entry, key);
            }
        }
        return best.node;
    }
}
