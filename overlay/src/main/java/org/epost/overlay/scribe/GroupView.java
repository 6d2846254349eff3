package org.epost.overlay.scribe;

import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * A snapshot of one node's part of one group's tree, for diagnostics and tests.
 *
 * @param parent   null at the root and while joining
 * @param path     ids from the root down to this node, as last heard from the parent
 * @param member   whether a local client is a member
 * @param root     whether this node holds itself for the root
 * @param joining  whether a join is under way
 */
public record GroupView(Id group, NodeHandle parent, List<NodeHandle> children, List<Id> path, boolean member,
        boolean root, boolean joining) {
    public GroupView {
        children = List.copyOf(children);
        path = List.copyOf(path);
    }

    /** Edges from the root to this node, as far as this node knows. */
    public int depth() {
        return path.size() - 1;
    }
}
