package org.epost.post.lease;

import java.util.Objects;

import org.epost.overlay.past.block.BlockKey;
import org.epost.post.store.PartReference;

/**
 * Something whose blocks must stay stored: one block (a log head, cluster, snapshot block...), or a stored MIME part
 * (its top block and, for a chunked part, every chunk its manifest lists).
 */
public sealed interface LeaseReference {

    /** One block, named by its key. */
    record OfBlock(BlockKey key) implements LeaseReference {
        public OfBlock {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "block " + key;
        }
    }

    /** A part stored by {@link org.epost.post.store.PartStore}: its top block plus, if chunked, every chunk. */
    record OfPart(PartReference part) implements LeaseReference {
        public OfPart {
            Objects.requireNonNull(part, "part");
        }

        @Override
        public String toString() {
            return "part " + part.handle() + " (" + part.layout() + ")";
        }
    }

    static LeaseReference of(BlockKey key) {
        return new OfBlock(key);
    }

    static LeaseReference of(PartReference part) {
        return new OfPart(part);
    }
}
