package org.epost.overlay.past.protocol;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.BlockKey;

/**
 * One maintenance round of a node: how many digests and pushes still wait for an answer, and, for each block this
 * node should hand off, which of its k holders confirmed holding it. A hand-off is finished (the local copy deleted)
 * only when the round ended and every target confirmed.
 */
final class MaintenanceRound {
    final Map<BlockKey, Handoff> handoffs = new LinkedHashMap<>();
    int outstanding;

    void confirm(BlockKey key, NodeHandle peer) {
        Handoff handoff = handoffs.get(key);
        if (handoff != null) {
            handoff.confirmed.add(peer);
        }
    }

    /** One entry of a digest: a block the peer should share with us, and the version we hold (0: immutable). */
    record DigestEntry(BlockKey key, long version) {
    }

    static final class Handoff {
        final List<NodeHandle> targets;
        final Set<NodeHandle> confirmed = new HashSet<>();

        Handoff(List<NodeHandle> targets) {
            this.targets = targets;
        }

        boolean complete() {
            return confirmed.containsAll(targets);
        }
    }
}
