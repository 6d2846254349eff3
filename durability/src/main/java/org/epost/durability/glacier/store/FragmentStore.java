package org.epost.durability.glacier.store;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The bytes of the fragments one node holds, with their records. Glacier keeps its own index of the records in
 * memory (positions, leases, quota) and comes here for the bytes; a store only stores. Writes reach the store at once
 * but may become durable later: who must not answer before a write is durable waits for {@link #whenDurable()}.
 *
 * <p>Implementations are thread-safe.
 */
public interface FragmentStore extends AutoCloseable {

    /** Stores a fragment's encoding and record, or (bytes null) replaces only the record of a held fragment. */
    void put(FragmentKey key, FragmentMeta meta, byte[] encodedOrNull);

    /** The stored encoding, as written (the caller verifies it: a disk can rot). */
    Optional<byte[]> read(FragmentKey key);

    void remove(FragmentKey key);

    /** Calls {@code action} with every stored record (at start, to rebuild the index). */
    void forEachRecord(BiConsumer<FragmentKey, FragmentMeta> action);

    /** Completes once every write made so far is durable; fails if the disk failed. */
    CompletableFuture<Void> whenDurable();

    @Override
    void close();
}
