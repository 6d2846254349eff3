package org.epost.overlay.time;

/**
 * Time as the overlay's state machines see it. They never read the system clock themselves, so a simulation can
 * run them on virtual time and replay a seed exactly.
 */
public interface Clock {
    /** Milliseconds since the epoch (virtual in simulations). */
    long now();
}
