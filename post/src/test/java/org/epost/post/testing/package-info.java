/**
 * Test support published in post's test-jar for POST and the modules above it: {@link
 * org.epost.post.testing.InMemoryBlockService}, the one in-memory block service (PAST's per-kind rules, counters,
 * fault hooks); {@link org.epost.post.testing.RingBlockService}, a node's real PAST driven in virtual time; {@link
 * org.epost.post.testing.PostRing}, the one simulated POST ring (overlay's {@code PastRing} plus Scribe, accounts,
 * key vaults and the notification service on every node, users homed on a node, restarts); and {@link
 * org.epost.post.testing.Seeded} bytes and keys.
 */
package org.epost.post.testing;
