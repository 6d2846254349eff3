package org.epost.overlay.pastry;

import java.util.Random;

import org.epost.overlay.time.Scheduler;

/** Periodic rounds of a node (keep-alive, gossip, probes), each starting at a random phase. */
final class Rounds {
    private Rounds() {
    }

    /** Runs {@code task} every {@code interval}, starting at a random phase so that nodes do not act in lockstep. */
    static void every(Scheduler scheduler, Random random, long interval, Runnable task) {
        scheduler.schedule(1 + (long) (random.nextDouble() * interval), new Runnable() {
            @Override
            public void run() {
                task.run();
                scheduler.schedule(interval, this);
            }
        });
    }
}
