/**
 * Sharing a node's work fairly among the nodes that ask for it (issue #15): a deficit round robin queue per sending
 * node ({@link org.epost.overlay.fair.FairQueue}), the gate that starts queued work a few at a time in that order
 * ({@link org.epost.overlay.fair.FairGate}), and what one sender may make the node store per minute
 * ({@link org.epost.overlay.fair.SenderBudget}). All single-threaded and driven by the caller's clock.
 */
package org.epost.overlay.fair;
