package org.epost.overlay.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class FairGateTest {
    private final Random random = new Random(15);
    private final Id hostile = Id.random(random);
    private final Id honest = Id.random(random);
    /** Started jobs by name, with what ends each. */
    private final Map<String, Runnable> running = new LinkedHashMap<>();
    private final List<String> startOrder = new ArrayList<>();

    private FairGate.Job job(String name) {
        return done -> {
            startOrder.add(name);
            running.put(name, done);
        };
    }

    private void finish(String name) {
        running.remove(name).run();
    }

    @Test
    void jobsStartUpToTheLimitThenInFairOrderAsOthersEnd() {
        FairGate gate = new FairGate(new FairQueue<>(100, 1_000, 10_000), 2);
        for (int i = 0; i < 6; i++) {
            assertThat(gate.submit(hostile, 100, job("flood-" + i))).isEmpty();
        }
        assertThat(gate.submit(honest, 100, job("mail"))).isEmpty();
        assertThat(startOrder).containsExactly("flood-0", "flood-1");
        assertThat(gate.inFlight()).isEqualTo(2);

        finish("flood-0");
        // the flood's next turn came first (it was the sender whose turn it was), then the honest sender's
        finish("flood-1");
        assertThat(startOrder).containsExactly("flood-0", "flood-1", "flood-2", "mail");
        assertThat(gate.waitingBytes(hostile)).isEqualTo(300);
        assertThat(gate.waitingBytes(honest)).isZero();
        assertThat(gate.started()).isEqualTo(4);
    }

    @Test
    void aJobEndingTwiceFreesOneSlot() {
        FairGate gate = new FairGate(new FairQueue<>(100, 1_000, 10_000), 1);
        gate.submit(honest, 10, job("a"));
        gate.submit(honest, 10, job("b"));
        gate.submit(honest, 10, job("c"));
        Runnable endA = running.get("a");
        endA.run();
        endA.run();
        assertThat(startOrder).containsExactly("a", "b");
        assertThat(gate.inFlight()).isEqualTo(1);
    }

    @Test
    void aJobThatEndsWhileStartingLetsTheNextStart() {
        FairGate gate = new FairGate(new FairQueue<>(100, 1_000, 10_000), 1);
        List<String> ran = new ArrayList<>();
        gate.submit(honest, 10, done -> {
            ran.add("inline-1");
            done.run();
        });
        gate.submit(honest, 10, done -> {
            ran.add("inline-2");
            done.run();
        });
        assertThat(ran).containsExactly("inline-1", "inline-2");
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void refusalsAreCountedByCauseAndNothingRefusedStarts() {
        FairGate gate = new FairGate(new FairQueue<>(100, 200, 300), 1);
        gate.submit(hostile, 100, job("h-0"));
        gate.submit(hostile, 100, job("h-1"));
        gate.submit(hostile, 100, job("h-2"));
        assertThat(gate.submit(hostile, 100, job("h-3"))).contains(FairQueue.Refusal.SENDER_FULL);
        gate.submit(honest, 100, job("m-0"));
        assertThat(gate.submit(honest, 100, job("m-1"))).contains(FairQueue.Refusal.TOTAL_FULL);
        assertThat(gate.refusedSenderFull()).isEqualTo(1);
        assertThat(gate.refusedTotalFull()).isEqualTo(1);
        while (!running.isEmpty()) {
            finish(running.keySet().iterator().next());
        }
        assertThat(startOrder).containsExactly("h-0", "h-1", "m-0", "h-2");
    }

    @Test
    void aGateLetsAtLeastOneJobThrough() {
        assertThatThrownBy(() -> new FairGate(new FairQueue<>(1, 1, 1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
