package org.epost.overlay.time;

/**
 * Runs tasks later, on the same single logical thread as everything else of one node. The production scheduler
 * is a Netty event loop; the simulator's is a seeded event queue on virtual time.
 */
public interface Scheduler extends Clock {

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }

    /** Runs {@code task} after {@code delayMillis} (0: as soon as possible, after the current task). */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Where the node's CPU-heavy pure work runs ({@link Offload}): in the caller's task unless a host gave a pool. */
    default Offload offload() {
        return Offload.INLINE;
    }
}
