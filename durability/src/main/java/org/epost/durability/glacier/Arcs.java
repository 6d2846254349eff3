package org.epost.durability.glacier;

import java.math.BigInteger;

import org.epost.overlay.id.Id;

/** Half-open arcs [from, to) of the ring, clockwise; from = to is the whole ring. */
final class Arcs {
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(Id.BITS);

    private Arcs() {
    }

    static BigInteger length(Id from, Id to) {
        return from.equals(to) ? RING : from.clockwiseDistanceTo(to);
    }

    /** Whether {@code key} lies on [from, to). */
    static boolean contains(Id from, Id to, Id key) {
        return from.clockwiseDistanceTo(key).compareTo(length(from, to)) < 0;
    }

    /**
     * Where a walk along [cursor, to) goes on after a node answered up to {@code covered}: there when it lies
     * strictly beyond the cursor and not past {@code to}, else at {@code to} (a confused or hostile answer cannot
     * stall or reverse the walk).
     */
    static Id progress(Id cursor, Id to, Id covered) {
        BigInteger step = cursor.clockwiseDistanceTo(covered);
        return step.signum() > 0 && step.compareTo(length(cursor, to)) <= 0 ? covered : to;
    }
}
