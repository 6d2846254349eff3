package org.epost.overlay.pastry;

import java.util.function.Predicate;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Pastry's routing decision, as a pure function of the local state: (1) a key within the leaf set's range goes to
 * the numerically closest of the leaf set and the local node; (2) otherwise to the routing-table entry sharing one
 * more digit with the key, if it is also numerically closer to the key; (3) otherwise (empty or suspected slot, or an
 * entry no closer) to the known node numerically closer to the key sharing the longest prefix with it. Every hop
 * strictly reduces the numeric distance to the key, so no message can come back to a node it left, whatever the
 * nodes' leaf sets (they disagree while they are repaired after a mass failure).
 */
public final class NextHopSelector {
    private final NodeHandle self;
    private final LeafSet leafSet;
    private final RoutingTable routingTable;

    public NextHopSelector(NodeHandle self, LeafSet leafSet, RoutingTable routingTable) {
        this.self = self;
        this.leafSet = leafSet;
        this.routingTable = routingTable;
    }

    /**
     * @param excluded  nodes not to consider at all (e.g. the joining node while its join is routed)
     * @param suspected nodes that may be dead: avoided where another choice is as good, waited for where not
     */
    public NextHop select(Id key, Predicate<Id> excluded, Predicate<Id> suspected) {
        if (leafSet.inRange(key)) {
            return closestInLeafSet(key, excluded, suspected);
        }
        int row = self.id().sharedPrefixLength(key);
        if (row >= RoutingTable.ROWS) {
            return NextHop.deliverHere(self);
        }
        NodeHandle entry = routingTable.get(row, key.digit(row));
        // a longer prefix alone is not progress: while leaf sets disagree during repair, a leaf-set hop (numerically
        // closer, shorter prefix) and a table hop (longer prefix, numerically farther) could undo each other forever
        if (entry != null && !excluded.test(entry.id()) && !suspected.test(entry.id())
                && entry.id().isCloserTo(key, self.id())) {
            return NextHop.forward(entry);
        }
        return closerNode(key, excluded, suspected);
    }

    private NextHop closestInLeafSet(Id key, Predicate<Id> excluded, Predicate<Id> suspected) {
        NodeHandle best = self;
        for (NodeHandle member : leafSet.members()) {
            if (!excluded.test(member.id()) && member.id().isCloserTo(key, best.id())) {
                best = member;
            }
        }
        if (best == self) {
            return NextHop.deliverHere(self);
        }
        return suspected.test(best.id()) ? NextHop.awaitProbe(best) : NextHop.forward(best);
    }

    /**
     * The rare case. Among known nodes numerically closer to the key than we are, prefer the longest shared prefix,
     * then the smallest distance: every hop then strictly approaches the key, so routing cannot loop.
     */
    private NextHop closerNode(Id key, Predicate<Id> excluded, Predicate<Id> suspected) {
        Candidate best = new Candidate();
        Candidate bestSuspected = new Candidate();
        for (NodeHandle member : leafSet.members()) {
            consider(member, key, excluded, suspected, best, bestSuspected);
        }
        for (NodeHandle entry : routingTable.entries()) {
            consider(entry, key, excluded, suspected, best, bestSuspected);
        }
        if (best.node != null) {
            return NextHop.forward(best.node);
        }
        if (bestSuspected.node != null) {
            return NextHop.awaitProbe(bestSuspected.node);
        }
        return NextHop.deliverHere(self);
    }

    private void consider(NodeHandle node, Id key, Predicate<Id> excluded, Predicate<Id> suspected,
                          Candidate best, Candidate bestSuspected) {
        Id id = node.id();
        if (excluded.test(id) || !id.isCloserTo(key, self.id())) {
            return;
        }
        (suspected.test(id) ? bestSuspected : best).offer(node, key);
    }

    /** The best node offered so far: the longest prefix shared with the key, then the numerically closest. */
    static final class Candidate {
        NodeHandle node;
        int prefix = -1;

        void offer(NodeHandle candidate, Id key) {
            int p = candidate.id().sharedPrefixLength(key);
            if (node == null || p > prefix || (p == prefix && candidate.id().isCloserTo(key, node.id()))) {
                node = candidate;
                prefix = p;
            }
        }
    }
}
