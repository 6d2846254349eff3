/**
 * This peer's lease-based garbage collection: {@link org.epost.peer.lease.LeaseService} refreshes the leases of every
 * block the peer still references, and judges how the refresh goes.
 */
package org.epost.peer.lease;
