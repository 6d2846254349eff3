package org.epost.overlay.pastry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;

/**
 * What a joining node was told on its join path (routing rows from each node the join passed, the leaf set in the
 * join reply), other than the node that told it: like gossip, these (id, address) pairs are only claims until each
 * answers over its own authenticated link, so they are kept here until the node is in the ring and then handed to the
 * {@link GossipVerifier}. Without this, one hostile node on the join path could fill a newcomer's leaf set and routing
 * table with (victim id, hostile address) pairs. Bounded: a flood of rows during a join keeps at most
 * {@link #MAX_TOLD} pairs. Node thread only.
 */
final class JoinPathState {
    static final int MAX_TOLD = 1_024;

    private final Set<NodeHandle> told = new LinkedHashSet<>();
    private long repliedAt = -1;
    private boolean verified;

    /** Whether what the join path told was verified (or given up on): applications may start. */
    boolean verified() {
        return verified;
    }

    void verified(boolean value) {
        verified = value;
    }

    /** The join reply arrived at {@code now}: from then on, the node verifies what it was told and becomes ready. */
    void replied(long now) {
        repliedAt = now;
    }

    boolean replied() {
        return repliedAt >= 0;
    }

    long repliedAt() {
        return repliedAt;
    }

    /** {@code teller} (authenticated by its link) told {@code entries}. */
    void told(NodeHandle teller, List<NodeHandle> entries) {
        for (NodeHandle entry : entries) {
            if (told.size() >= MAX_TOLD) {
                return;
            }
            if (!entry.equals(teller)) {
                told.add(entry);
            }
        }
    }

    /** Everything told so far, forgotten here (the verifier takes it from now on). */
    List<NodeHandle> drain() {
        List<NodeHandle> all = new ArrayList<>(told);
        told.clear();
        return all;
    }

    int size() {
        return told.size();
    }
}
