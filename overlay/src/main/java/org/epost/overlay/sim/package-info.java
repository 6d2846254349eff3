/**
 * A seeded, deterministic discrete-event simulator for the overlay: virtual time, an in-memory network with
 * distance-based latency, loss, partitions and crashes, and {@link org.epost.overlay.sim.Simulation} /
 * {@link org.epost.overlay.sim.SimulationMain}, which build a ring, measure lookups before and after a correlated
 * failure, and print one JSON report with a trace hash that identical seeds reproduce.
 */
package org.epost.overlay.sim;
