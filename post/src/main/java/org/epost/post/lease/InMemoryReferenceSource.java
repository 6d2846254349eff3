package org.epost.post.lease;

import java.util.LinkedHashSet;
import java.util.Set;

import org.epost.overlay.past.block.BlockKey;
import org.epost.post.store.PartReference;

/** A thread-safe set of references, added and removed by hand (tests, or a caller that tracks references itself). */
public final class InMemoryReferenceSource implements ReferenceSource {
    private final Set<LeaseReference> references = new LinkedHashSet<>();

    public synchronized boolean add(LeaseReference reference) {
        return references.add(reference);
    }

    public synchronized boolean remove(LeaseReference reference) {
        return references.remove(reference);
    }

    public boolean add(BlockKey key) {
        return add(LeaseReference.of(key));
    }

    public boolean remove(BlockKey key) {
        return remove(LeaseReference.of(key));
    }

    public boolean add(PartReference part) {
        return add(LeaseReference.of(part));
    }

    public boolean remove(PartReference part) {
        return remove(LeaseReference.of(part));
    }

    @Override
    public synchronized Set<LeaseReference> references() {
        return new LinkedHashSet<>(references);
    }
}
