package org.epost.overlay.scribe;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** A member of Scribe groups. Upcalls run on the node's logical thread; they must not block. */
public interface ScribeClient {

    /** {@code message} was published to {@code group}. Called at most once per publication on this node. */
    void deliver(Id group, Message message);

    /** Diagnostics: this node took {@code child} as a child in {@code group}'s tree. */
    default void childAdded(Id group, NodeHandle child) {
    }

    /** Diagnostics: {@code child} left, or was given up as dead, in {@code group}'s tree. */
    default void childRemoved(Id group, NodeHandle child) {
    }
}
