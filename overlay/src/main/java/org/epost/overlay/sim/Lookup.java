package org.epost.overlay.sim;

import org.epost.overlay.api.Message;

/** The test payload the simulator routes to random keys. */
public record Lookup(long lookupId) implements Message {
}
