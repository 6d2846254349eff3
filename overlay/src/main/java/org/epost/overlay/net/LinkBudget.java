package org.epost.overlay.net;

import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.api.Lane;

/**
 * What all of a node's links together may hold waiting (links opening and backed-up open links), in encoded bytes:
 * each link is bounded, but a node with hundreds of links to slow peers would not be. Bulk is refused first: it may
 * fill only half the budget, so interactive messages still find room when bulk has taken all it may. It also counts
 * what links refused and dropped, for status pages. Thread-safe: the node thread reserves, I/O threads release.
 */
final class LinkBudget {
    /** The default budget of a node: four links' worth of full interactive backlogs. */
    static final long DEFAULT_BYTES = 256L << 20;

    private final long maxBytes;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong refusedInteractive = new AtomicLong();
    private final AtomicLong refusedBulk = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    LinkBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a link budget must be positive, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Takes {@code bytes} of the budget for a message of {@code lane}; false when they do not fit. */
    boolean reserve(Lane lane, long bytes) {
        long limit = lane == Lane.BULK ? maxBytes / 2 : maxBytes;
        while (true) {
            long now = waiting.get();
            if (now + bytes > limit) {
                return false;
            }
            if (waiting.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back what a message took, once it was written, expired or lost with its link. */
    void release(long bytes) {
        waiting.addAndGet(-bytes);
    }

    /** A message of {@code lane} was refused: by this budget, its link's lane or its opening link's bound. */
    void refused(Lane lane, int messages) {
        (lane == Lane.BULK ? refusedBulk : refusedInteractive).addAndGet(messages);
    }

    /** Messages dropped after waiting too long on their link. */
    void expired(int messages) {
        expired.addAndGet(messages);
    }

    long expired() {
        return expired.get();
    }

    long maxBytes() {
        return maxBytes;
    }

    long waitingBytes() {
        return waiting.get();
    }

    long refused(Lane lane) {
        return (lane == Lane.BULK ? refusedBulk : refusedInteractive).get();
    }
}
