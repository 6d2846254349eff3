package org.epost.overlay.api;

import java.util.List;

import org.epost.overlay.id.Id;

/** A read-only view of a node's leaf set: its nearest neighbours on the ring on either side. */
public interface LeafSetView {

    /** Neighbours going clockwise (increasing ids), nearest first. */
    List<NodeHandle> clockwise();

    /** Neighbours going counter-clockwise, nearest first. */
    List<NodeHandle> counterClockwise();

    /** Every member once, clockwise side first. */
    List<NodeHandle> members();

    boolean contains(Id id);

    /** Number of distinct members. */
    int size();
}
