package org.epost.overlay.scribe.messages;

import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** A publication on its way down {@code group}'s tree, sent straight from a parent ({@code from}) to a child. */
public record ScribeData(Id group, NodeHandle from, Id source, long sequence, Message payload) implements Message {
    public ScribeData {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
    }
}
