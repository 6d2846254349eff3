package org.epost.post.message;

import java.util.Optional;

/**
 * Describes a message's MIME structure when it is stored, so that the description travels in the message's skeleton
 * and a reader (an IMAP BODYSTRUCTURE) need not fetch the message's large parts to compute it. The format of the
 * description belongs to the indexer: the store only carries the bytes.
 *
 * <p>An indexer must be deterministic (the same message always gives the same bytes): skeletons are convergent
 * blocks, and two peers storing the same message must make the same one.
 */
@FunctionalInterface
public interface StructureIndexer {
    /** Describes nothing: skeletons carry no structure. */
    StructureIndexer NONE = message -> Optional.empty();

    /**
     * The description of {@code message}, or empty when there is nothing worth keeping (or the message cannot be
     * described); never an empty array.
     */
    Optional<byte[]> describe(byte[] message);
}
