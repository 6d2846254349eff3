package org.epost.overlay.time;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where a node's state machines send CPU-heavy pure work (signature checks, signing, sealing, block hashing) so that
 * it does not hold the node thread: the work runs elsewhere and its result comes back as a task on the node thread,
 * where the state machine goes on. The state stays single-threaded; only the pure function moves.
 *
 * <p>{@link #INLINE} runs the work at once on the caller's thread and hands the result over in the same task: the
 * simulator's node threads use it, so a seed replays exactly. Production nodes use a {@link WorkerPool}.
 */
public interface Offload {

    /**
     * Runs {@code work} (pure: it must not touch the node's state) and then {@code then} with its result on the node
     * thread. {@code bytes} is about how much input the work holds, for the pool's bound. Called on the node thread.
     * An exception thrown by the work is thrown on the node thread instead of calling {@code then}.
     */
    <T> void run(int bytes, Supplier<T> work, Consumer<? super T> then);

    /** Runs the work in the caller's task. */
    Offload INLINE = new Offload() {
        @Override
        public <T> void run(int bytes, Supplier<T> work, Consumer<? super T> then) {
            then.accept(work.get());
        }

        @Override
        public String toString() {
            return "Offload.INLINE";
        }
    };
}
