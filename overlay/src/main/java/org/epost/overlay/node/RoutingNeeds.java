package org.epost.overlay.node;

import java.util.function.Predicate;

import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.LeafSet;
import org.epost.overlay.pastry.PastryNode;

/**
 * Whether this node's routing needs a link with a node (issue #15, the inbound cap): it is a leaf-set or routing-table
 * member, or, with both sides of the leaf set full, closer than a member (it would enter the leaf set). A node's id
 * is fixed by its certificate, so no node can make itself needed by choosing one. With a side not full (a ring smaller
 * than the leaf set) only members count: every stranger would "fit". Node thread only; reads the routing state.
 */
final class RoutingNeeds implements Predicate<Id> {
    private final PastryNode pastry;

    RoutingNeeds(PastryNode pastry) {
        this.pastry = pastry;
    }

    @Override
    public boolean test(Id id) {
        LeafSet leafSet = pastry.leafSet();
        if (leafSet.contains(id)
            || (leafSet.clockwiseFull() && leafSet.counterClockwiseFull() && leafSet.wouldAccept(id))) {
            return true;
        }
        return pastry.routingTableEntries().stream().anyMatch(handle -> handle.id().equals(id));
    }
}
