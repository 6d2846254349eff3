package org.epost.overlay.past.protocol;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;

/**
 * A second line of durability behind PAST's k replicas (Glacier, in the durability module, which the overlay cannot
 * depend on): told of every immutable block once its replicas are durable, and asked for a block no replica holder
 * has any more.
 */
public interface PastArchive {

    /**
     * Called on the block's root, on the node thread, once an insert of an immutable block (content-hash or
     * certificate) succeeded, i.e. k replicas acknowledged durable storage. Must not block.
     */
    void replicated(Id handle, BlockKind kind, byte[] encoded, long leaseExpiry);

    /**
     * Called when a lookup of an immutable block found no valid replica: completes with the block's encoding if the
     * archive could rebuild it (PAST verifies it before returning it), empty if not. Must not fail.
     */
    CompletableFuture<Optional<byte[]>> recover(BlockKey key);

    /**
     * Called on the block's root, on the node thread, once a lease extension of an immutable block reached at least
     * one replica holder: the archive's copies follow the block's lease. Must not block.
     */
    void leaseExtended(Id handle, BlockKind kind, long newExpiry);

    /** Whether blocks of {@code kind} are archived: immutable ones; public-key blocks are mutable heads. */
    static boolean archives(BlockKind kind) {
        return kind != BlockKind.PUBLIC_KEY;
    }
}
