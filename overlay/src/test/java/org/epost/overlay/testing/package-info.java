/**
 * Test support published in the overlay's test-jar for every module built on the overlay: {@link
 * org.epost.overlay.testing.PastRing}, a seeded simulated ring with PAST on every node, whose faults (corrupt disks,
 * holders serving unchecked copies, rewritten messages) are played through the stores and the simulated network, not
 * through switches in production code; {@link org.epost.overlay.testing.RealNodes}, waiting on real nodes in the
 * test's JVM; {@link org.epost.overlay.testing.TlsRing}, starting such nodes of one test CA on real TLS links.
 */
package org.epost.overlay.testing;
