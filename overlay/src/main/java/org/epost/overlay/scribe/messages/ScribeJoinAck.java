package org.epost.overlay.scribe.messages;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/**
 * Sent straight to a joiner: {@code from} took it as a child in {@code group}'s tree. {@code path} lists the ids from
 * the root down to {@code from} (inclusive), so that the child can refuse a parent that descends from itself.
 */
public record ScribeJoinAck(Id group, NodeHandle from, List<Id> path) implements Message {
    public ScribeJoinAck {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(from, "from");
        path = List.copyOf(path);
    }
}
