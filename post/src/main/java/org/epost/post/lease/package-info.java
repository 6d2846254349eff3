/**
 * Lease-based garbage collection for POST (DESIGN.md section 4): nothing is ever deleted explicitly. Every PAST block
 * carries a lease; holders drop a block once its lease ended more than their clock-skew tolerance ago, at their next
 * maintenance round. The home peer's {@link org.epost.post.lease.LeaseRefresher} extends, every 7 days by default,
 * the lease of everything its users still reference to now + 30 days; what no peer references any more simply runs
 * out.
 *
 * <ul>
 *   <li>{@link org.epost.post.lease.ReferenceSource}: what is referenced now, asked afresh each round (a snapshot, on
 *       the scheduler's thread: keep it cheap, e.g. a cached list the peer updates as its logs change). Adapters for
 *       block keys and {@link org.epost.post.store.PartReference}s, a composite, and an
 *       {@link org.epost.post.lease.InMemoryReferenceSource}. A log's blocks come from
 *       {@link org.epost.post.log.LogOpener#referencedBlocks} (head, cluster chain, newest snapshot).</li>
 *   <li>{@link org.epost.post.lease.LeaseReference}: one block, or one part (its top block and every chunk of its
 *       manifest, through {@link org.epost.post.store.PartStore#extendLease}).</li>
 *   <li>{@link org.epost.post.lease.RefreshReport}: per round, what was refreshed and what failed and why; failures are
 *       retried after {@link org.epost.post.lease.LeaseConfig#retryDelayMillis()}.</li>
 * </ul>
 *
 * <p>The refresh interval must stay well below the lease: a block survives as long as one refresh in each lease
 * period succeeds. Holders also accept extending a lapsed lease they have not collected yet (within the skew window).
 *
 * <p>James-free: nothing here depends on org.apache.james.
 */
package org.epost.post.lease;
