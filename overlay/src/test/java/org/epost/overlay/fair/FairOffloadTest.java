package org.epost.overlay.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.epost.overlay.id.Id;
import org.epost.overlay.time.Offload;
import org.junit.jupiter.api.Test;

class FairOffloadTest {
    private final Random random = new Random(15);
    private final Id hostile = Id.random(random);
    private final Id honest = Id.random(random);

    /** An offload whose work waits until the test lets it run, one at a time, as a pool's would. */
    private static final class HeldOffload implements Offload {
        final List<Runnable> waiting = new ArrayList<>();

        @Override
        public <T> void run(int bytes, Supplier<T> work, Consumer<? super T> then) {
            waiting.add(() -> then.accept(work.get()));
        }

        void runFirst() {
            waiting.remove(0).run();
        }
    }

    @Test
    void anHonestSendersWorkReachesTheWorkersBeforeAFloodQueuedEarlier() {
        HeldOffload pool = new HeldOffload();
        FairOffload shares = new FairOffload(() -> pool, new FairQueue<>(1_000, 10_000, 40_000), 1);
        List<String> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "flood-" + i;
            assertThat(shares.run(hostile, 1_000, () -> name, done::add)).isEmpty();
        }
        assertThat(shares.run(honest, 1_000, () -> "mail", done::add)).isEmpty();
        assertThat(pool.waiting).hasSize(1);
        pool.runFirst();
        pool.runFirst();
        pool.runFirst();
        // flood-0 went to the workers at once (nothing else waited); then one turn of the flood, then the mail
        assertThat(done).containsExactly("flood-0", "flood-1", "mail");
        assertThat(shares.gate().waitingBytes(hostile)).isEqualTo(5_000);
    }

    @Test
    void aSenderOverItsShareIsRefusedAndNothingOfItRuns() {
        HeldOffload pool = new HeldOffload();
        FairOffload shares = new FairOffload(() -> pool, new FairQueue<>(1_000, 2_000, 40_000), 1);
        List<String> done = new ArrayList<>();
        shares.run(hostile, 1_000, () -> "running", done::add);
        shares.run(hostile, 1_000, () -> "waiting-1", done::add);
        shares.run(hostile, 1_000, () -> "waiting-2", done::add);
        assertThat(shares.run(hostile, 1_000, () -> "refused", done::add)).contains(FairQueue.Refusal.SENDER_FULL);
        while (!pool.waiting.isEmpty()) {
            pool.runFirst();
        }
        assertThat(done).containsExactly("running", "waiting-1", "waiting-2");
        assertThat(shares.gate().refusedSenderFull()).isEqualTo(1);
    }

    @Test
    void inlineWorkRunsAtOnceAsWithoutTheGate() {
        FairOffload shares = new FairOffload(() -> Offload.INLINE, new FairQueue<>(1_000, 2_000, 4_000), 1);
        List<String> done = new ArrayList<>();
        shares.run(hostile, 1_000, () -> "a", done::add);
        shares.run(honest, 1_000, () -> "b", done::add);
        assertThat(done).containsExactly("a", "b");
        assertThat(shares.gate().inFlight()).isZero();
    }

    @Test
    void workThatThrowsEndsItsTurnAndThrowsOnTheNodeThread() {
        HeldOffload pool = new HeldOffload();
        FairOffload shares = new FairOffload(() -> pool, new FairQueue<>(1_000, 2_000, 4_000), 1);
        List<String> done = new ArrayList<>();
        Supplier<String> broken = () -> {
            throw new IllegalStateException("broken box");
        };
        shares.run(hostile, 10, broken, done::add);
        shares.run(honest, 10, () -> "next", done::add);
        assertThatThrownBy(pool::runFirst).isInstanceOf(IllegalStateException.class).hasMessage("broken box");
        pool.runFirst();
        assertThat(done).containsExactly("next");
    }
}
