package org.epost.overlay.past.block;

import java.util.Comparator;
import java.util.Objects;
import org.epost.overlay.id.Id;

/**
 * The full name of a stored block: its handle and its kind.
 *
 * <p>Why the kind is part of the name: handles of different kinds can collide on purpose. Anybody can build a
 * content-hash block whose content is {@code publicKey || label} (public keys are public), and it hashes to the same
 * handle as that key's public-key block; likewise content equal to a name collides with that name's certificate.
 * If blocks were named by handle alone, such a block could squat a user's identity handle. Named by (handle, kind),
 * the two simply live side by side, and a reader always asks for the kind it expects.
 */
public record BlockKey(Id handle, BlockKind kind) implements Comparable<BlockKey> {
    private static final Comparator<BlockKey> ORDER =
            Comparator.comparing(BlockKey::handle).thenComparing(BlockKey::kind);

    public BlockKey {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(kind, "kind");
    }

    /** Ring order of the handle, then kind: the order in which a store iterates its blocks. */
    @Override
    public int compareTo(BlockKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + handle.toString();
    }
}
