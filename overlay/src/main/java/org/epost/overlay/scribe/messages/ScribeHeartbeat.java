package org.epost.overlay.scribe.messages;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * One node's periodic message to one tree neighbour, covering every group they share: {@code asParent} lists the
 * groups in which {@code from} is the receiver's parent (each with {@code from}'s path from the root),
 * {@code asChild} the groups in which {@code from} is the receiver's child. Also sent at once, for one group, when
 * a node's path changes.
 */
public record ScribeHeartbeat(NodeHandle from, List<ParentBeat> asParent, List<Id> asChild) implements Message {
    public ScribeHeartbeat {
        Objects.requireNonNull(from, "from");
        asParent = List.copyOf(asParent);
        asChild = List.copyOf(asChild);
    }

    /** "I am still your parent in {@code group}; my path from the root is {@code path}." */
    public record ParentBeat(Id group, List<Id> path) {
        public ParentBeat {
            Objects.requireNonNull(group, "group");
            path = List.copyOf(path);
        }
    }
}
