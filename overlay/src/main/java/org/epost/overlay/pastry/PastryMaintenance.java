package org.epost.overlay.pastry;

import java.util.Collection;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.messages.LeafSetReply;
import org.epost.overlay.pastry.messages.LeafSetRequest;
import org.epost.overlay.pastry.messages.RowRequest;
import org.epost.overlay.transport.Transport;

/**
 * A {@link PastryNode}'s tables kept right: who enters the leaf set and the routing table (heard from, or told about
 * and verified first), the keep-alive and gossip rounds, and the repairs after a node died; the applications are told
 * of every leaf-set change. Routing, joining and the wire stay in {@link PastryNode}; this runs on its logical thread.
 */
final class PastryMaintenance {
    private final PastryConfig config;
    private final Transport transport;
    private final Random random;
    private final NodeHandle self;
    private final LeafSet leafSet;
    private final RoutingTable routingTable;
    private final FailureDetector detector;
    private final GossipVerifier told;
    private final LeafSetGapSearch gapSearch;
    /** The node's applications, a live view: those registered later are told of changes too. */
    private final Collection<PastryEndpoint> applications;

    PastryMaintenance(PastryConfig config, Transport transport, Random random, LeafSet leafSet,
                      RoutingTable routingTable, FailureDetector detector, GossipVerifier told,
                      LeafSetGapSearch gapSearch, Collection<PastryEndpoint> applications) {
        this.config = config;
        this.transport = transport;
        this.random = random;
        this.self = transport.localHandle();
        this.leafSet = leafSet;
        this.routingTable = routingTable;
        this.detector = detector;
        this.told = told;
        this.gapSearch = gapSearch;
        this.applications = applications;
    }

    /** Any message from {@code node} shows it is alive and ready: it may belong in our state. */
    void heardFrom(NodeHandle node) {
        told.heardFrom(node);
        detector.heardFrom(node);
        if (leafSet.wouldAccept(node.id())) {
            changeLeafSet(() -> leafSet.insert(node));
        }
        offerToRoutingTable(node);
    }

    void offerToRoutingTable(NodeHandle node) {
        if (!node.id().equals(self.id())) {
            routingTable.put(node, transport::proximity);
        }
    }

    /** {@code from}'s leaf set: it may show that the ring shrank to one small ring, and name nodes we miss. */
    void leafSetReported(NodeHandle from, List<NodeHandle> reported) {
        changeLeafSet(() -> leafSet.closeIfWrapped(from.id(), reported));
        considerCandidates(reported);
    }

    /** Nodes we were told about (not heard from): verified first when they would enter the leaf set. */
    void considerCandidates(List<NodeHandle> candidates) {
        for (NodeHandle candidate : candidates) {
            Id id = candidate.id();
            if (!id.equals(self.id()) && !detector.isDead(id) && !leafSet.contains(id) && leafSet.wouldAccept(id)) {
                told.offer(candidate);
            }
        }
    }

    /**
     * Applies a leaf-set change, tells the applications who entered and who left, and, when a node entered, sends the
     * new leaf set to every member. Nodes joining at the same time each get their leaf set from their own root, which
     * knows none of the others yet; a member that hears from two of them is often the only node that knows both, and
     * without this push they learnt of each other only from the gossip round (a minute), their sides full but wrong
     * meanwhile: a node then took itself for a key's root. Each push ends in probes, never in an insert of what was
     * told, and a converged leaf set does not change, so the pushes stop by themselves.
     */
    private void changeLeafSet(Runnable change) {
        List<NodeHandle> before = leafSet.members();
        change.run();
        List<NodeHandle> after = leafSet.members();
        if (before == after || before.equals(after)) {
            return;
        }
        boolean entered = false;
        for (NodeHandle node : before) {
            if (!after.contains(node)) {
                applications.forEach(endpoint -> endpoint.application().update(node, false));
            }
        }
        for (NodeHandle node : after) {
            if (!before.contains(node)) {
                entered = true;
                applications.forEach(endpoint -> endpoint.application().update(node, true));
            }
        }
        if (entered) {
            LeafSetReply pushed = new LeafSetReply(after);
            after.forEach(member -> transport.send(member, pushed));
            gossipRound();
        }
    }

    void keepAliveRound() {
        for (NodeHandle member : leafSet.members()) {
            if (!detector.heardWithin(member.id(), config.keepAliveIntervalMillis())) {
                detector.check(member);
            }
        }
        detector.pruneLastHeard();
        if (leafSet.coversWholeRing() || !leafSet.clockwiseFull() || !leafSet.counterClockwiseFull()) {
            repairLeafSet(); // a small ring, or we are missing nodes: ask again until the sides are right
        }
        gapSearch.search();
    }

    /** Asks the nearest member of each side for its leaf set: it knows the nodes between it and us, if any. */
    void gossipRound() {
        if (!leafSet.clockwise().isEmpty()) {
            transport.send(leafSet.clockwise().get(0), new LeafSetRequest());
        }
        if (!leafSet.counterClockwise().isEmpty()
                && !leafSet.counterClockwise().get(0).equals(leafSet.clockwise().get(0))) {
            transport.send(leafSet.counterClockwise().get(0), new LeafSetRequest());
        }
    }

    /**
     * Asks for leaf sets to find nodes we miss. While the sides are disjoint (the usual case in a large ring) the
     * farthest member of each side knows the next nodes beyond it (and {@link LeafSetGapSearch} looks beyond a side
     * none of whose members is left); while the sides overlap (a small ring) every member is asked.
     */
    private void repairLeafSet() {
        if (leafSet.coversWholeRing()) {
            leafSet.members().forEach(member -> transport.send(member, new LeafSetRequest()));
            return;
        }
        NodeHandle clockwise = leafSet.farthestClockwise();
        NodeHandle counterClockwise = leafSet.farthestCounterClockwise();
        if (clockwise != null) {
            transport.send(clockwise, new LeafSetRequest());
        }
        if (counterClockwise != null && !counterClockwise.equals(clockwise)) {
            transport.send(counterClockwise, new LeafSetRequest());
        }
    }

    /** Lazy routing-table repair: ask a node of the same row (or the next) for its row, which has our slot too. */
    private void repairRoutingSlot(int row) {
        for (int r = row; r < RoutingTable.ROWS; r++) {
            List<NodeHandle> candidates = routingTable.row(r);
            candidates.removeIf(node -> detector.isSuspected(node.id()));
            if (!candidates.isEmpty()) {
                transport.send(candidates.get(random.nextInt(candidates.size())), new RowRequest(row));
                return;
            }
        }
    }


    /** Takes a node declared dead out of the tables, and asks for what replaces it. */
    void forget(NodeHandle node) {
        Id id = node.id();
        if (leafSet.contains(id)) {
            boolean clockwise = leafSet.clockwise().stream().anyMatch(member -> member.id().equals(id));
            boolean counterClockwise = leafSet.counterClockwise().stream().anyMatch(member -> member.id().equals(id));
            changeLeafSet(() -> leafSet.remove(id));
            if (clockwise) {
                gapSearch.lost(true);
            }
            if (counterClockwise) {
                gapSearch.lost(false);
            }
            repairLeafSet();
        }
        int row = self.id().sharedPrefixLength(id);
        if (routingTable.remove(id) != null) {
            repairRoutingSlot(row);
        }
    }
}
