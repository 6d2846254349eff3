package org.epost.overlay.pastry.messages;

/** I am alive. */
public record ProbeReply() {
}
