package org.epost.overlay.past.protocol;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;

/**
 * A second line of durability behind PAST's k replicas (Glacier, in the durability module, which the overlay cannot
 * depend on): told of every block once its replicas are durable, and asked for a block no replica holder has any
 * more. Public-key blocks (mutable heads) are told of once per version; the archive keeps versions apart and
 * answers a lookup with the newest version it can prove.
 */
public interface PastArchive {

    /**
     * Called on the block's root, on the node thread, once an insert of a block succeeded, i.e. k replicas
     * acknowledged durable storage (for a public-key block: of that version). Must not block.
     */
    void replicated(Id handle, BlockKind kind, byte[] encoded, long leaseExpiry);

    /**
     * Called when a lookup found no valid replica: completes with the block's encoding if the archive could rebuild
     * it (for a public-key block, the newest version it could), empty if not. PAST verifies it before returning it.
     * Must not fail.
     */
    CompletableFuture<Optional<byte[]>> recover(BlockKey key);

    /**
     * Called on the block's root, on the node thread, once a lease extension of a block reached at least one replica
     * holder: the archive's copies follow the block's lease. Must not block.
     */
    void leaseExtended(Id handle, BlockKind kind, long newExpiry);
}
