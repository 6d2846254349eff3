package org.epost.overlay.api;

import java.util.Comparator;
import java.util.List;

import org.epost.overlay.id.Id;

/** What an application registered on a node may do with the overlay. Call only on the node's logical thread. */
public interface Endpoint {

    /**
     * Routes {@code msg} to the live node numerically closest to {@code key}. {@code hint}, when not null, is tried
     * as the first hop.
     */
    void route(Id key, Message msg, NodeHandle hint);

    /** Sends {@code msg} straight to {@code to}; it is delivered there with the receiver's id as key. */
    void routeDirect(NodeHandle to, Message msg);

    /**
     * Sends {@code msg} straight to {@code to} in {@code lane}: how a sender puts a message of an interactive type
     * into the bulk lane where it is maintenance (a replica pushed by repair rather than by an insert). A
     * {@link BulkMessage} stays bulk whatever {@code lane} says.
     */
    default void routeDirect(NodeHandle to, Message msg, Lane lane) {
        routeDirect(to, msg);
    }

    NodeHandle localHandle();

    LeafSetView leafSet();

    /**
     * The (at most) {@code k} live nodes this node knows of that are numerically closest to {@code key}, closest
     * first, drawn from the leaf set and the node itself. Meaningful for keys within the leaf set's range.
     */
    List<NodeHandle> replicaSet(Id key, int k);

    /**
     * Whether {@link #replicaSet replicaSet(key, k)} is this node's own knowledge of the k closest live nodes rather
     * than a guess: no node outside its leaf set can be closer to {@code key} than those (always while the leaf set
     * covers the whole ring; else for keys well within its range). An endpoint that cannot tell answers false.
     */
    default boolean knowsClosest(Id key, int k) {
        return false;
    }

    /**
     * Up to {@code count} distinct live nodes other than this one that a message to {@code key} could take as its first
     * hop, closest to {@code key} first (routing table and leaf set): different paths toward the key, so that no
     * single node on one of them sees every request. The default draws on the leaf set alone.
     */
    default List<NodeHandle> firstHops(Id key, int count) {
        return leafSet().members().stream()
                .sorted(Comparator.<NodeHandle, Id>comparing(NodeHandle::id, key::compareDistances))
                .limit(count).toList();
    }

    /** Whether this node is, as far as its leaf set tells, the live node numerically closest to {@code key}. */
    boolean isResponsibleFor(Id key);
}
