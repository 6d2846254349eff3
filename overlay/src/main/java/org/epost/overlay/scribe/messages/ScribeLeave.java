package org.epost.overlay.scribe.messages;

import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Sent straight to a tree neighbour: drop the edge between {@code from} and you in {@code group}'s tree. From a child
 * it prunes the child; from a node its receiver takes for its parent it means "I am not your parent (any more)", and
 * the receiver joins again.
 */
public record ScribeLeave(Id group, NodeHandle from) implements Message {
    public ScribeLeave {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(from, "from");
    }
}
