package org.epost.overlay.fair;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.epost.overlay.id.Id;
import org.epost.overlay.time.Offload;

/**
 * The node's {@link Offload} shared out per sending node: work done for a sender (opening a notification it sent,
 * checking what it asked this node to keep) waits in its sender's queue and goes to the workers through a
 * {@link FairGate}, {@code maxInFlight} at a time, so a node that sends a flood of expensive work waits behind its own
 * flood instead of ahead of everyone's. A sender over its share is refused at once: the caller drops or answers the
 * work as the protocol answers a busy node. Node thread only; with {@link Offload#INLINE} (the simulator) work runs at
 * once, as without it, while nothing waits.
 */
public final class FairOffload {
    private final Supplier<Offload> offload;
    private final FairGate gate;

    /** What the work returned, or what it threw (thrown again on the node thread after its turn ended). */
    private record Outcome<T>(T value, RuntimeException failure) {
    }

    /**
     * @param offload the node's offload, asked at each run (a node's scheduler may swap it, as the simulator's does)
     */
    public FairOffload(Supplier<Offload> offload, FairQueue<FairGate.Job> queue, int maxInFlight) {
        this.offload = Objects.requireNonNull(offload, "offload");
        this.gate = new FairGate(queue, maxInFlight);
    }

    /**
     * Runs {@code work} (pure) for {@code sender} when its turn comes, then {@code then} with its result on the node
     * thread; empty if queued, else why the sender was refused (nothing runs).
     */
    public <T> Optional<FairQueue.Refusal> run(Id sender, int bytes, Supplier<T> work, Consumer<? super T> then) {
        return gate.submit(sender, bytes, done -> offload.get().run(bytes, () -> {
            try {
                return new Outcome<T>(work.get(), null);
            } catch (RuntimeException e) {
                return new Outcome<T>(null, e);
            }
        }, outcome -> {
            done.run();
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
            then.accept(outcome.value());
        }));
    }

    /** The gate's figures: work started, waiting and refused. */
    public FairGate gate() {
        return gate;
    }
}
