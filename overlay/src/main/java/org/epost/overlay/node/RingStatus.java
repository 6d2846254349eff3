package org.epost.overlay.node;

import java.math.BigInteger;
import java.util.List;

import org.epost.overlay.api.LeafSetView;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * A snapshot of what one node knows of the ring, for status pages and healthchecks.
 *
 * @param ringSizeEstimate exact while the leaf set holds the whole ring (fewer nodes than it has room for); beyond
 *                         that, extrapolated from how much of the id space the leaf set spans
 */
public record RingStatus(NodeHandle self, boolean ready, List<NodeHandle> leafSet, int leafSetCapacity,
                         int routingTableEntries, long ringSizeEstimate) {

    static RingStatus of(NodeHandle self, boolean ready, LeafSetView leafSet, int leafSetCapacity, int routingTableEntries) {
        List<NodeHandle> members = leafSet.members();
        return new RingStatus(self, ready, members, leafSetCapacity, routingTableEntries,
            estimateRingSize(self.id(), leafSet, leafSetCapacity));
    }

    static long estimateRingSize(Id self, LeafSetView leafSet, int capacity) {
        int known = leafSet.size();
        int half = capacity / 2;
        if (leafSet.clockwise().size() < half || leafSet.counterClockwise().size() < half) {
            return known + 1;
        }
        Id farthestClockwise = leafSet.clockwise().get(leafSet.clockwise().size() - 1).id();
        Id farthestCounterClockwise = leafSet.counterClockwise().get(leafSet.counterClockwise().size() - 1).id();
        BigInteger span = farthestCounterClockwise.clockwiseDistanceTo(farthestClockwise);
        if (span.signum() == 0) {
            return known + 1;
        }
        // known + 1 nodes occupy `span`; the ring is 2^160 wide.
        return BigInteger.valueOf(known).shiftLeft(Id.BITS).divide(span).longValueExact();
    }

    /** Whether the node has no neighbour at all. */
    public boolean alone() {
        return leafSet.isEmpty();
    }
}
