package org.epost.overlay.pastry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.epost.overlay.api.LeafSetView;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * The L/2 nearest known nodes on each side of the local id, nearest first. In a ring of fewer than L + 1 nodes the
 * two sides overlap (a node may be on both), and the leaf set then covers the whole ring. Once the sides are disjoint
 * (a larger ring) they stay so: a side that lost members is left short rather than refilled from the other side, and
 * a node that would fit both short sides goes on the nearer one. Otherwise a node that lost most of its leaf set at
 * once (a mass failure) would take its few survivors for the whole ring, claim every key and route by the leaf set
 * alone, one neighbour at a time; and one whose side all died would never look for the nodes beyond the gap.
 */
public final class LeafSet implements LeafSetView {
    private final NodeHandle self;
    private final int half;
    /** Sorted by clockwise distance from self. */
    private final List<NodeHandle> clockwise = new ArrayList<>();
    /** Sorted by counter-clockwise distance from self. */
    private final List<NodeHandle> counterClockwise = new ArrayList<>();
    private boolean coversWholeRing = true;
    /** Distinct members, clockwise side first; recomputed on every change because it is read far more often. */
    private List<NodeHandle> members = List.of();

    public LeafSet(NodeHandle self, int leafSetSize) {
        if (leafSetSize < 2 || leafSetSize % 2 != 0) {
            throw new IllegalArgumentException("leaf set size must be even and at least 2: " + leafSetSize);
        }
        this.self = self;
        this.half = leafSetSize / 2;
    }

    public NodeHandle self() {
        return self;
    }

    /** Whether inserting a node with this id would make it a member (it is not one already, nor the local node). */
    public boolean wouldAccept(Id id) {
        if (id.equals(self.id()) || contains(id)) {
            return false;
        }
        return fitsClockwise(id) || fitsCounterClockwise(id);
    }

    /**
     * Adds {@code handle} where it belongs; returns whether it became a member. Pushed-out members are dropped. While
     * the sides are disjoint a node fitting both (short) sides goes on the nearer one only.
     */
    public boolean insert(NodeHandle handle) {
        Id id = handle.id();
        if (id.equals(self.id())) {
            return false;
        }
        if (contains(id)) {
            replaceAddress(handle);
            return false;
        }
        boolean added;
        if (!coversWholeRing && fitsClockwise(id) && fitsCounterClockwise(id)) {
            added = nearerClockwise(self.id(), id) ? insertClockwise(handle) : insertCounterClockwise(handle);
        } else {
            added = insertClockwise(handle) | insertCounterClockwise(handle);
        }
        if (added) {
            membershipChanged();
        }
        return added;
    }

    /**
     * Removes the member with this id; while the sides overlap (a small ring) they are refilled from members still
     * known on the other side, while they are disjoint the side is left short (see the class comment). Returns the
     * removed handle, or null when it was not a member.
     */
    public NodeHandle remove(Id id) {
        NodeHandle removed = removeFrom(clockwise, id);
        NodeHandle removedCcw = removeFrom(counterClockwise, id);
        if (removed == null) {
            removed = removedCcw;
        }
        if (removed == null) {
            return null;
        }
        if (coversWholeRing) {
            refillEachSideFromTheOther();
        }
        membershipChanged();
        return removed;
    }

    /**
     * Closes the sides into one small ring when the leaf set {@code reported} by {@code from}, our farthest member on a
     * short side, shows the ring going on beyond it into members of our other side: the ring shrank to at most L + 1
     * nodes, so every node is known and the sides must overlap (each refilled from the other). A short side whose
     * farthest member knows nothing beyond it, or only strangers, is a gap instead (a mass failure; see the class
     * comment). Returns whether the sides were closed.
     */
    public boolean closeIfWrapped(Id from, List<NodeHandle> reported) {
        if (coversWholeRing) {
            return false;
        }
        boolean wrapped = false;
        for (NodeHandle node : reported) {
            Id id = node.id();
            wrapped |= clockwise.size() < half && from.equals(clockwiseEnd()) && indexOf(counterClockwise, id) >= 0
                    && nearerClockwise(from, id);
            wrapped |= counterClockwise.size() < half && from.equals(counterClockwiseEnd())
                    && indexOf(clockwise, id) >= 0 && !nearerClockwise(from, id);
        }
        if (!wrapped) {
            return false;
        }
        refillEachSideFromTheOther();
        membershipChanged();
        return true;
    }

    /**
     * Whether {@code key} lies between the farthest members of the two sides (through the local id), so that the
     * node responsible for it is a member or the local node. True whenever the leaf set covers the whole ring.
     */
    public boolean inRange(Id key) {
        if (coversWholeRing) {
            return true;
        }
        return counterClockwiseEnd().arcContains(key, clockwiseEnd());
    }

    /**
     * Whether no node outside the leaf set can be closer to {@code key} than {@code farthest}: always while the leaf
     * set covers the whole ring; else {@code key} must be in range and {@code farthest} no farther from it than
     * either end of the leaf set, since every node outside lies beyond one of the ends, farther away both ways round.
     */
    public boolean noStrangerCloser(Id key, Id farthest) {
        if (coversWholeRing) {
            return true;
        }
        return inRange(key) && key.compareDistances(farthest, counterClockwiseEnd()) <= 0
                && key.compareDistances(farthest, clockwiseEnd()) <= 0;
    }

    /** The farthest clockwise member's id, or the local id when that side is empty: where the known range ends. */
    private Id clockwiseEnd() {
        return clockwise.isEmpty() ? self.id() : clockwise.get(clockwise.size() - 1).id();
    }

    private Id counterClockwiseEnd() {
        return counterClockwise.isEmpty() ? self.id() : counterClockwise.get(counterClockwise.size() - 1).id();
    }

    /**
     * Whether this node knows (or believes it knows) every node: no member yet, or the two sides overlap (a node on
     * both, as in a ring of at most L + 1 nodes). Sides that are short but disjoint mean nodes are missing.
     */
    public boolean coversWholeRing() {
        return coversWholeRing;
    }

    /** Whether the clockwise side holds L/2 members. */
    public boolean clockwiseFull() {
        return clockwise.size() == half;
    }

    public boolean counterClockwiseFull() {
        return counterClockwise.size() == half;
    }

    /** The farthest clockwise member, or null. */
    public NodeHandle farthestClockwise() {
        return clockwise.isEmpty() ? null : clockwise.get(clockwise.size() - 1);
    }

    public NodeHandle farthestCounterClockwise() {
        return counterClockwise.isEmpty() ? null : counterClockwise.get(counterClockwise.size() - 1);
    }

    @Override
    public List<NodeHandle> clockwise() {
        return Collections.unmodifiableList(clockwise);
    }

    @Override
    public List<NodeHandle> counterClockwise() {
        return Collections.unmodifiableList(counterClockwise);
    }

    /** Every member once, clockwise side first; an immutable snapshot. */
    @Override
    public List<NodeHandle> members() {
        return members;
    }

    @Override
    public boolean contains(Id id) {
        return indexOf(clockwise, id) >= 0 || indexOf(counterClockwise, id) >= 0;
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    public String toString() {
        return "LeafSet" + counterClockwise + " < " + self + " > " + clockwise;
    }

    /** Whether {@code to} is nearer {@code from} going clockwise than going counter-clockwise (ties: clockwise). */
    private static boolean nearerClockwise(Id from, Id to) {
        return from.clockwiseDistanceTo(to).compareTo(to.clockwiseDistanceTo(from)) <= 0;
    }

    private boolean fitsClockwise(Id id) {
        return clockwise.size() < half || self.id().compareClockwise(id, clockwise.get(half - 1).id()) < 0;
    }

    private boolean fitsCounterClockwise(Id id) {
        // counter-clockwise distance order is the reverse of clockwise distance order (for ids other than self)
        return counterClockwise.size() < half
                || self.id().compareClockwise(id, counterClockwise.get(half - 1).id()) > 0;
    }

    private boolean insertClockwise(NodeHandle handle) {
        if (indexOf(clockwise, handle.id()) >= 0 || !fitsClockwise(handle.id())) {
            return false;
        }
        int i = 0;
        while (i < clockwise.size() && self.id().compareClockwise(clockwise.get(i).id(), handle.id()) < 0) {
            i++;
        }
        clockwise.add(i, handle);
        if (clockwise.size() > half) {
            clockwise.remove(half);
        }
        return true;
    }

    private boolean insertCounterClockwise(NodeHandle handle) {
        if (indexOf(counterClockwise, handle.id()) >= 0 || !fitsCounterClockwise(handle.id())) {
            return false;
        }
        int i = 0;
        while (i < counterClockwise.size()
                && self.id().compareClockwise(counterClockwise.get(i).id(), handle.id()) > 0) {
            i++;
        }
        counterClockwise.add(i, handle);
        if (counterClockwise.size() > half) {
            counterClockwise.remove(half);
        }
        return true;
    }

    /** A member came back under another address: keep the newest handle. */
    private void replaceAddress(NodeHandle handle) {
        if (members.contains(handle)) {
            return;
        }
        int i = indexOf(clockwise, handle.id());
        if (i >= 0) {
            clockwise.set(i, handle);
        }
        int j = indexOf(counterClockwise, handle.id());
        if (j >= 0) {
            counterClockwise.set(j, handle);
        }
        membershipChanged();
    }

    private void refillEachSideFromTheOther() {
        for (NodeHandle handle : List.copyOf(counterClockwise)) {
            insertClockwise(handle);
        }
        for (NodeHandle handle : List.copyOf(clockwise)) {
            insertCounterClockwise(handle);
        }
    }

    private void membershipChanged() {
        List<NodeHandle> distinct = new ArrayList<>(clockwise.size() + counterClockwise.size());
        distinct.addAll(clockwise);
        for (NodeHandle handle : counterClockwise) {
            if (indexOf(clockwise, handle.id()) < 0) {
                distinct.add(handle);
            }
        }
        members = List.copyOf(distinct);
        coversWholeRing = members.isEmpty() || members.size() < clockwise.size() + counterClockwise.size();
    }

    private static NodeHandle removeFrom(List<NodeHandle> side, Id id) {
        int i = indexOf(side, id);
        return i < 0 ? null : side.remove(i);
    }

    private static int indexOf(List<NodeHandle> side, Id id) {
        for (int i = 0; i < side.size(); i++) {
            if (side.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
