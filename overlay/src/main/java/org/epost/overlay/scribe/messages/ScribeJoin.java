package org.epost.overlay.scribe.messages;

import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Routed toward {@code group}: {@code joiner} wants a parent in the group's tree. The first node on the route that is
 * (or, by adopting the joiner, becomes) part of the tree takes the joiner as its child and answers with
 * {@link ScribeJoinAck}; the node responsible for the group id is the root.
 */
public record ScribeJoin(Id group, NodeHandle joiner) implements Message {
    public ScribeJoin {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(joiner, "joiner");
    }
}
