package org.epost.overlay.past.protocol;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.epost.overlay.fair.FairGate;
import org.epost.overlay.fair.FairLimits;
import org.epost.overlay.fair.FairQueue;
import org.epost.overlay.fair.SenderBudget;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who gets this node's verification workers and disk for blocks to store (issue #15): each block an insert's root or
 * a replica holder is asked to store waits in its sending node's queue, and a {@link FairGate} lets a few
 * ({@link FairLimits#inFlight()}, {@code past.fair.in-flight}) verify-and-sync jobs run at a time in deficit round
 * robin order over the senders, so a node flooding inserts waits behind its own flood while the other nodes' blocks go
 * through. A sender with its share of the queue waiting, or over its {@link SenderBudget} per minute, is answered FULL (its
 * insert is diverted or retried, as for a full node) and counted; the first refusals of a sender, then one in a
 * hundred, are logged. Node thread only.
 */
final class StoreAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);
    /** The answer's detail, which an insert's client reads as "retry later". */
    static final String BUSY = "busy:";

    private final FairLimits limits;
    private final FairGate gate;
    private final SenderBudget budget;
    private final Scheduler scheduler;
    private final MetricSink metrics;
    private long refusedLogged;

    StoreAdmission(Scheduler scheduler, MetricSink metrics, FairLimits limits) {
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.limits = limits;
        this.gate = limits.newGate();
        this.budget = limits.newBudget();
    }

    /**
     * Runs {@code work} for {@code sender} when its turn comes; the work's future ends its turn (however it ends).
     * If the sender is over its share or budget, {@code refuse} gets the reason (starting with {@link #BUSY}) instead.
     */
    void admit(Id sender, int bytes, String what, Supplier<CompletableFuture<?>> work,
               Consumer<String> refuse) {
        if (!budget.take(sender, bytes, scheduler.now())) {
            refused(sender, what, "over its budget of " + limits.bytesPerMinute() + " bytes and "
                    + limits.itemsPerMinute() + " blocks per minute", "budget", refuse);
            return;
        }
        Optional<FairQueue.Refusal> refusal = gate.submit(sender, bytes, done -> {
            CompletableFuture<?> over = work.get();
            if (over.isDone()) {
                // the simulator's inline work: its turn ends in the same task, as if there were no gate
                done.run();
            } else {
                over.whenComplete((value, failure) -> scheduler.schedule(0, done));
            }
        });
        refusal.ifPresent(r -> refused(sender, what, r == FairQueue.Refusal.SENDER_FULL
                ? "its share of the store queue (" + limits.queueBytesPerSender() + " bytes) is waiting"
                : "the store queue (" + limits.queueBytesTotal() + " bytes) is full", "queue", refuse));
    }

    private void refused(Id sender, String what, String why, String counter, Consumer<String> refuse) {
        metrics.count("epost.past.refused." + counter);
        if (refusedLogged++ % 100 == 0) {
            LOG.warn("{} from {} refused: {} ({} refused so far)", what, sender, why, refusedLogged);
        }
        refuse.accept(BUSY + " " + why);
    }

    /** What was admitted and refused, for the status page. */
    StoreAdmissionFigures figures() {
        return new StoreAdmissionFigures(gate.started(), gate.inFlight(), gate.waitingBytes(), budget.refused(),
                budget.refusedBytes(), gate.refusedSenderFull() + gate.refusedTotalFull());
    }
}
