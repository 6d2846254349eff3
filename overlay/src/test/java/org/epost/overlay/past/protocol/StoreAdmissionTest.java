package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.fair.FairLimits;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.sim.SimScheduler;
import org.junit.jupiter.api.Test;

/** Blocks to store admitted per sending node: the turns, the queue share and the budget, on a simulated clock. */
class StoreAdmissionTest {
    private static final int MIB = 1 << 20;
    private static final FairLimits DEFAULTS = FairLimits.pastStoreDefaults();
    private final Random random = new Random(15);
    private final Id hostile = Id.random(random);
    private final Id honest = Id.random(random);
    private final SimScheduler scheduler = new SimScheduler();
    /** Blocks being verified and stored, by name, with what ends their store. */
    private final Map<String, CompletableFuture<Void>> storing = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    private void admit(StoreAdmission admission, Id sender, String name) {
        admission.admit(sender, MIB, name, () -> {
            started.add(name);
            CompletableFuture<Void> durable = new CompletableFuture<>();
            storing.put(name, durable);
            return durable;
        }, refusals::add);
    }

    private void finish(String name) {
        storing.remove(name).complete(null);
        scheduler.runFor(1);
    }

    @Test
    void aFloodWaitsBehindItselfAndWhatIsOverItsShareIsAnsweredBusy() {
        StoreAdmission admission = new StoreAdmission(scheduler, MetricSink.NONE, DEFAULTS);
        int flood = DEFAULTS.inFlight() + (int) (DEFAULTS.queueBytesPerSender() / MIB) + 3;
        for (int i = 0; i < flood; i++) {
            admit(admission, hostile, "flood-" + i);
        }
        admit(admission, honest, "mail");

        assertThat(started).hasSize(DEFAULTS.inFlight());
        assertThat(refusals).hasSize(3).allMatch(r -> r.startsWith(StoreAdmission.BUSY));
        assertThat(admission.figures().refusedQueue()).isEqualTo(3);
        assertThat(admission.figures().waitingBytes()).isEqualTo(DEFAULTS.queueBytesPerSender() + MIB);

        finish("flood-0");
        finish("flood-1");
        // one more turn of the flood (its turn had come), then the honest node's block
        assertThat(started.subList(DEFAULTS.inFlight(), started.size())).containsExactly("flood-4", "mail");
    }

    @Test
    void aSenderOverItsBudgetPerMinuteIsAnsweredBusyUntilItRefills() {
        StoreAdmission admission = new StoreAdmission(scheduler, MetricSink.NONE, new FairLimits(4, 1 << 20,
                16L * MIB, 64L * MIB, 3L * MIB, 1_000));
        for (int i = 0; i < 4; i++) {
            admit(admission, hostile, "block-" + i);
        }
        assertThat(started).containsExactly("block-0", "block-1", "block-2");
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r).startsWith(StoreAdmission.BUSY)
                .contains("budget"));
        assertThat(admission.figures().refusedBudget()).isEqualTo(1);
        assertThat(admission.figures().refusedBytes()).isEqualTo(MIB);
        admit(admission, honest, "mail");
        assertThat(started).endsWith("mail");

        // a third of a minute later a third of the budget is back: taken, and started once a slot is free
        scheduler.runFor(20_000);
        admit(admission, hostile, "block-4");
        assertThat(refusals).hasSize(1);
        finish("block-0");
        assertThat(started).endsWith("block-4");
    }

    @Test
    void configuredLimitsReplaceTheDefaults() {
        // past.fair.in-flight=1, past.fair.queue-per-node=2M: one block runs, two wait, the fourth is refused
        StoreAdmission admission = new StoreAdmission(scheduler, MetricSink.NONE, new FairLimits(1, 1 << 20,
                2L * MIB, 8L * MIB, 512L * MIB, 30_000));
        for (int i = 0; i < 4; i++) {
            admit(admission, hostile, "block-" + i);
        }
        assertThat(started).containsExactly("block-0");
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r).contains("(" + 2 * MIB + " bytes)"));
        finish("block-0");
        assertThat(started).containsExactly("block-0", "block-1");
    }

    @Test
    void workThatIsDoneAtOnceRunsAsIfThereWereNoGate() {
        StoreAdmission admission = new StoreAdmission(scheduler, MetricSink.NONE, DEFAULTS);
        for (int i = 0; i < 50; i++) {
            String name = "inline-" + i;
            admission.admit(hostile, MIB, name, () -> {
                started.add(name);
                return CompletableFuture.completedFuture(null);
            }, refusals::add);
        }
        assertThat(started).hasSize(50);
        assertThat(refusals).isEmpty();
        assertThat(admission.figures().inFlight()).isZero();
    }
}
