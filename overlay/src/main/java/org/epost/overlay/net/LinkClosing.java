package org.epost.overlay.net;

import java.util.Objects;

/**
 * The last message a node sends on a link it closes in good order, with why: {@link #IDLE}, nothing crossed it for
 * the idle time. The far end then forgets the link as quiet, not failed, and reopens it when it next has something
 * to send; without it the far end took the close for a failure and had Pastry probe a live node. A reason the
 * receiver does not know is logged and the close that follows counts as a failure.
 */
public record LinkClosing(String reason) {
    public static final String TYPE = "link.closing";
    public static final String IDLE = "idle";

    public LinkClosing {
        Objects.requireNonNull(reason, "reason");
    }

    public boolean idle() {
        return IDLE.equals(reason);
    }
}
