package org.epost.overlay.scribe.messages;

import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;

/** Routed toward {@code group}: the node responsible for it sets the group up as its root. */
public record ScribeCreate(Id group) implements Message {
    public ScribeCreate {
        Objects.requireNonNull(group, "group");
    }
}
