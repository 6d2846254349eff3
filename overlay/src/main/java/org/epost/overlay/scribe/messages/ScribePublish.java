package org.epost.overlay.scribe.messages;

import java.util.Objects;

import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;

/**
 * Routed toward {@code group}: the root hands {@code payload} down the tree. ({@code source}, {@code sequence})
 * identifies the publication, so every node passes it on and delivers it at most once.
 */
public record ScribePublish(Id group, Id source, long sequence, Message payload) implements Message {
    public ScribePublish {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
    }
}
