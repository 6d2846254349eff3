/**
 * PAST as an overlay application: {@link org.epost.overlay.past.protocol.Past}, one per node, registered on the
 * node's endpoint under {@value org.epost.overlay.past.protocol.Past#APPLICATION}.
 *
 * <p>Who stores what: a block (handle, kind) lives on the k (default 3) live nodes numerically closest to its
 * handle, as each node's leaf set tells ({@code Endpoint.replicaSet}). When one of them answers FULL, the root
 * diverts that replica to the next closest node, at most {@code maxDiversions} beyond the k closest.
 *
 * <p>Messages (package {@code messages}): routed {@code InsertRequest}, {@code LookupRequest}, {@code LeaseRequest}
 * to the handle; direct {@code StoreRequest}, {@code FetchRequest}, {@code LeaseExtend}, {@code ReplicaDigest}
 * between holders; each answered by a reply carrying the request id.
 *
 * <p>Maintenance (after leaf-set changes and every {@code maintenanceIntervalMillis}): collect expired blocks; for
 * each block held, compute its k holders; send every other holder one digest (handle, kind, version) per batch of
 * the blocks it should share with us; push what it reports missing or older; accept newer public-key versions it
 * pushes back. A block we are no longer among the k closest for is offered to its k holders the same way and
 * deleted only when all k acknowledged holding it.
 */
package org.epost.overlay.past.protocol;
