/**
 * The Pastry state machine (b = 4, leaf set L = 16 by default): {@link org.epost.overlay.pastry.PastryNode} joins,
 * routes with per-hop acknowledgements and re-routing, detects failures with keep-alives and probes, and repairs
 * its {@link org.epost.overlay.pastry.LeafSet} and {@link org.epost.overlay.pastry.RoutingTable}. It is driven only
 * by a {@code Transport} and a {@code Scheduler}, never by wall-clock time or threads of its own.
 */
package org.epost.overlay.pastry;
