package org.epost.post.lease;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.epost.overlay.past.block.BlockKey;
import org.epost.post.store.PartReference;

/**
 * What the home peer's users still reference, asked afresh at every refresh round: whatever it no longer answers
 * stops being refreshed, and its holders drop it once its lease (plus the clock-skew tolerance) has run out.
 *
 * <p>Implementations must be cheap to call and safe from any thread; the answer is a snapshot.
 */
@FunctionalInterface
public interface ReferenceSource {

    /** Every reference currently held (no duplicates). */
    Set<LeaseReference> references();

    /** Adapter: the block keys {@code keys} supplies (e.g. a log's head, clusters and snapshot blocks). */
    static ReferenceSource ofBlocks(Supplier<? extends Collection<BlockKey>> keys) {
        Objects.requireNonNull(keys, "keys");
        return () -> {
            Set<LeaseReference> out = new LinkedHashSet<>();
            for (BlockKey key : keys.get()) {
                out.add(new LeaseReference.OfBlock(key));
            }
            return out;
        };
    }

    /** Adapter: the part references {@code parts} supplies (e.g. the parts named by a mailbox's log records). */
    static ReferenceSource ofParts(Supplier<? extends Collection<PartReference>> parts) {
        Objects.requireNonNull(parts, "parts");
        return () -> {
            Set<LeaseReference> out = new LinkedHashSet<>();
            for (PartReference part : parts.get()) {
                out.add(new LeaseReference.OfPart(part));
            }
            return out;
        };
    }

    /** The union of {@code sources}, in order. */
    static ReferenceSource composite(List<? extends ReferenceSource> sources) {
        List<ReferenceSource> copy = List.copyOf(sources);
        return () -> {
            Set<LeaseReference> out = new LinkedHashSet<>();
            for (ReferenceSource source : copy) {
                out.addAll(source.references());
            }
            return out;
        };
    }

    static ReferenceSource composite(ReferenceSource... sources) {
        return composite(List.of(sources));
    }
}
