package org.epost.overlay.net;

import java.util.Objects;

import org.epost.overlay.api.NodeHandle;

/**
 * The first message on every link, in both directions, once TLS is up: who the sender is on the ring, and whether it
 * is in a ring yet (a starting node may join only through one that is). Accepted only if the id is the one the
 * sender's certificate entitles it to.
 */
public record Hello(NodeHandle node, boolean inRing) {
    public static final String TYPE = "link.hello";

    public Hello {
        Objects.requireNonNull(node, "node");
    }
}
