package org.epost.post.message;

import java.util.Optional;

import org.epost.post.store.RandomAccessBytes;

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
    StructureIndexer NONE = new StructureIndexer() {
        @Override
        public Optional<byte[]> describe(byte[] message) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> describe(RandomAccessBytes message) {
            return Optional.empty();
        }
    };

    /**
     * The description of {@code message}, or empty when there is nothing worth keeping (or the message cannot be
     * described); never an empty array.
     */
    Optional<byte[]> describe(byte[] message);

    /**
     * The same description of a message read by position; indexers that can parse a stream override this so that the
     * message is never whole in the heap, the default reads it whole.
     */
    default Optional<byte[]> describe(RandomAccessBytes message) {
        return describe(message.array().orElseGet(() -> message.read(0, Math.toIntExact(message.length()))));
    }
}
