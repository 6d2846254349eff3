package org.epost.overlay.scribe;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * One node's part of one group's multicast tree: its local member clients, its children (each with when it was last
 * heard from), its parent, its path from the root, whether a join is under way, and the publications already passed
 * on. Pure bookkeeping without messages or timers, so that {@link Scribe} stays readable and this stays testable.
 * Not thread-safe: used on the node's logical thread only.
 *
 * <p>States: <em>root</em> (no parent, no join under way), <em>joining</em> (a join is routed, no parent yet) and
 * <em>attached</em> (has a parent).
 */
final class GroupState {
    private final Id group;
    private final Id self;
    private final int seenMemory;
    private final Set<ScribeClient> clients = new LinkedHashSet<>();
    private final Map<NodeHandle, Long> children = new LinkedHashMap<>();
    private final Set<PublicationId> seen = new LinkedHashSet<>();
    private NodeHandle parent;
    private long parentLastHeard;
    /** Ids from the root down to this node, both included. */
    private List<Id> path;
    private boolean joining;
    private long joinSentAt;

    private record PublicationId(Id source, long sequence) {
    }

    GroupState(Id group, Id self, int seenMemory) {
        this.group = Objects.requireNonNull(group, "group");
        this.self = Objects.requireNonNull(self, "self");
        this.seenMemory = seenMemory;
        this.path = List.of(self);
    }

    Id group() {
        return group;
    }

    // ---------------------------------------------------------------- members

    boolean addClient(ScribeClient client) {
        return clients.add(client);
    }

    boolean removeClient(ScribeClient client) {
        return clients.remove(client);
    }

    List<ScribeClient> clients() {
        return List.copyOf(clients);
    }

    boolean isMember() {
        return !clients.isEmpty();
    }

    // ---------------------------------------------------------------- children

    /** Adds {@code child} (or refreshes it); returns whether it is new. */
    boolean addChild(NodeHandle child, long now) {
        if (child.id().equals(self)) {
            throw new IllegalArgumentException("a node cannot be its own child");
        }
        return children.put(child, now) == null;
    }

    /** Notes that {@code child} was heard from; returns whether it is a child at all. */
    boolean refreshChild(NodeHandle child, long now) {
        if (!children.containsKey(child)) {
            return false;
        }
        children.put(child, now);
        return true;
    }

    boolean removeChild(NodeHandle child) {
        return children.remove(child) != null;
    }

    boolean hasChild(NodeHandle child) {
        return children.containsKey(child);
    }

    int childCount() {
        return children.size();
    }

    List<NodeHandle> children() {
        return List.copyOf(children.keySet());
    }

    /** Removes and returns the children not heard from for {@code timeout} (heard at exactly the limit stays). */
    List<NodeHandle> expireChildren(long now, long timeout) {
        List<NodeHandle> expired = new ArrayList<>();
        for (Iterator<Map.Entry<NodeHandle, Long>> it = children.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<NodeHandle, Long> entry = it.next();
            if (now - entry.getValue() > timeout) {
                expired.add(entry.getKey());
                it.remove();
            }
        }
        return expired;
    }

    // ---------------------------------------------------------------- parent and path

    NodeHandle parent() {
        return parent;
    }

    boolean isRoot() {
        return parent == null && !joining;
    }

    boolean isJoining() {
        return joining;
    }

    long joinSentAt() {
        return joinSentAt;
    }

    List<Id> path() {
        return path;
    }

    /** Whether {@code id} is this node or one of its ancestors, as far as the path last heard tells. */
    boolean isOnPath(Id id) {
        return path.contains(id);
    }

    /** Whether taking a parent whose path is {@code parentPath} would close a cycle through this node. */
    boolean wouldLoop(List<Id> parentPath) {
        return parentPath.contains(self);
    }

    /** A join was (re)sent at {@code now}: the node waits for an acknowledgement. Keeps the old path (loop guard). */
    void startJoining(long now) {
        joining = true;
        joinSentAt = now;
    }

    /**
     * {@code newParent}, with path {@code parentPath}, took this node as its child. Returns the parent it replaces
     * (to be told so), or null.
     */
    NodeHandle attach(NodeHandle newParent, List<Id> parentPath, long now) {
        if (newParent.id().equals(self)) {
            throw new IllegalArgumentException("a node cannot be its own parent");
        }
        if (wouldLoop(parentPath)) {
            throw new IllegalArgumentException("parent path " + parentPath + " contains this node");
        }
        NodeHandle previous = Objects.equals(parent, newParent) ? null : parent;
        parent = newParent;
        parentLastHeard = now;
        joining = false;
        setPath(parentPath);
        return previous;
    }

    /** The parent was heard from, with its current path; returns whether this node's path changed. */
    boolean parentHeard(List<Id> parentPath, long now) {
        parentLastHeard = now;
        return parentPath != null && setPath(parentPath);
    }

    void parentHeard(long now) {
        parentLastHeard = now;
    }

    boolean parentExpired(long now, long timeout) {
        return parent != null && now - parentLastHeard > timeout;
    }

    /** Forgets the parent (dead, or not ours any more) and returns it; the node should join again. */
    NodeHandle detach() {
        NodeHandle previous = parent;
        parent = null;
        return previous;
    }

    /** This node is responsible for the group id: it has no parent. Returns the parent it had, or null. */
    NodeHandle becomeRoot() {
        NodeHandle previous = parent;
        parent = null;
        joining = false;
        path = List.of(self);
        return previous;
    }

    private boolean setPath(List<Id> parentPath) {
        List<Id> updated = new ArrayList<>(parentPath.size() + 1);
        updated.addAll(parentPath);
        updated.add(self);
        if (updated.equals(path)) {
            return false;
        }
        path = List.copyOf(updated);
        return true;
    }

    // ---------------------------------------------------------------- publications

    /** Records a publication; returns whether it is the first time this node sees it. */
    boolean firstTime(Id source, long sequence) {
        if (!seen.add(new PublicationId(source, sequence))) {
            return false;
        }
        if (seen.size() > seenMemory) {
            Iterator<PublicationId> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Neither a member nor a forwarder for anybody: the node may leave the tree. */
    boolean isPrunable() {
        return clients.isEmpty() && children.isEmpty();
    }

    @Override
    public String toString() {
        return "Group" + group + "{parent=" + parent + ", children=" + children.keySet() + ", members="
                + clients.size() + (joining ? ", joining" : "") + ", path=" + path + "}";
    }
}
