/**
 * POST's single-writer logs (DESIGN.md section 5, "Per-user metadata"): the generic layer under the per-folder logs.
 *
 * <ul>
 *   <li>{@link org.epost.post.log.LogHead}: public-key block (owner's Ed25519 key, label = log name such as
 *       {@code folder:INBOX}); payload = record count, newest cluster, newest snapshot and its record count, a running
 *       digest of all records, the writer's id/epoch/lease, and the per-log key sealed to the owner's X25519 key.</li>
 *   <li>Clusters: content-hash blocks of up to M records, encrypted under the log key, each pointing back at its
 *       predecessor; only the newest may be partial and is rewritten by the next append.</li>
 *   <li>Snapshots every S records: the {@link org.epost.post.log.LogReducer}'s encoded state (inline in the root
 *       block, or in chunk blocks the root lists), with the record count and digest they cover.</li>
 *   <li>{@link org.epost.post.log.LogWriter} appends (durable once the blocks and the new head are on k replicas);
 *       {@link org.epost.post.log.LogOpener} opens from the local cached view or the newest snapshot plus the tail,
 *       and verifies everything against the signed head.</li>
 * </ul>
 *
 * <p>James-free: nothing here depends on org.apache.james.
 */
package org.epost.post.log;
