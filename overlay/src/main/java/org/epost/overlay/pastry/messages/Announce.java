package org.epost.overlay.pastry.messages;

/** A node that just joined tells the nodes in its state that it exists. */
public record Announce() {
}
