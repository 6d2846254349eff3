/**
 * A node's persistent store of PAST replicas: {@link org.epost.overlay.past.store.BlockStore}, its policy in
 * {@link org.epost.overlay.past.store.AbstractBlockStore}, and two backends: RocksDB for real nodes, memory for
 * simulations.
 *
 * <p>Lease semantics: a put or refresh asks for an expiry; the store grants at most now + the maximum lease (and for
 * a certificate at most its notAfter + the clock-skew tolerance), never less than it had already granted. Holders
 * delete an entry only once its lease ended more than the skew tolerance ago, on their own clock.
 */
package org.epost.overlay.past.store;
