package org.epost.overlay.pastry.messages;

/** Asks for the receiver's leaf set (leaf-set repair and periodic gossip with the nearest neighbours). */
public record LeafSetRequest() {
}
