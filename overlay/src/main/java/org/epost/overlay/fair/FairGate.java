package org.epost.overlay.fair;

import java.util.Objects;
import java.util.Optional;

import org.epost.overlay.id.Id;

/**
 * Admits asynchronous work (a block to verify and make durable, a delegation to write to disk) a few at a time, in
 * the fair order of a {@link FairQueue} over the senders asking for it: what waits for the node's workers and disk is
 * shared out per sending node, so one node's flood queues behind itself while the other nodes' work keeps flowing.
 * Work starts at once while fewer than {@code maxInFlight} run; a job says when it is over by running the
 * {@link Runnable} it is given (once; later calls are ignored), which starts the next in line. Work whose sender is over
 * its share is refused at once and never started: the caller answers it as the protocol answers a full node.
 *
 * <p>Single-threaded: everything, including the jobs' {@code done}, runs on the node thread. It owns no thread and no
 * clock, so the simulator replays it exactly.
 */
public final class FairGate {

    /** Work the gate starts; it runs {@code done} on the node thread when it no longer holds the node's resources. */
    @FunctionalInterface
    public interface Job {
        void start(Runnable done);
    }

    private final FairQueue<Job> queue;
    private final int maxInFlight;
    private int inFlight;
    private long started;
    private long refusedSenderFull;
    private long refusedTotalFull;

    public FairGate(FairQueue<Job> queue, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("a gate lets at least one job through, not " + maxInFlight);
        }
        this.queue = Objects.requireNonNull(queue, "queue");
        this.maxInFlight = maxInFlight;
    }

    /** Queues (and if there is room, starts) {@code job} for {@code sender}; empty if taken, else why it was not. */
    public Optional<FairQueue.Refusal> submit(Id sender, int bytes, Job job) {
        Optional<FairQueue.Refusal> refusal = queue.offer(sender, bytes, job);
        if (refusal.isPresent()) {
            if (refusal.get() == FairQueue.Refusal.SENDER_FULL) {
                refusedSenderFull++;
            } else {
                refusedTotalFull++;
            }
            return refusal;
        }
        pump();
        return Optional.empty();
    }

    private void pump() {
        while (inFlight < maxInFlight) {
            Optional<Job> next = queue.poll();
            if (next.isEmpty()) {
                return;
            }
            inFlight++;
            started++;
            boolean[] over = {false};
            next.get().start(() -> {
                if (!over[0]) {
                    over[0] = true;
                    inFlight--;
                    pump();
                }
            });
        }
    }

    /** Jobs started and not over yet. */
    public int inFlight() {
        return inFlight;
    }

    /** Bytes of work waiting to start. */
    public long waitingBytes() {
        return queue.waitingBytes();
    }

    /** Bytes of work waiting to start from {@code sender}. */
    public long waitingBytes(Id sender) {
        return queue.waitingBytes(sender);
    }

    public long started() {
        return started;
    }

    /** Work refused because its sender had its share waiting. */
    public long refusedSenderFull() {
        return refusedSenderFull;
    }

    /** Work refused because all senders together had the total waiting. */
    public long refusedTotalFull() {
        return refusedTotalFull;
    }
}
