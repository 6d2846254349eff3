package org.epost.overlay.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class FairLimitsTest {
    private static final Id SENDER = Id.fromHex("1".repeat(Id.BYTES * 2));

    @Test
    void theGateAndBudgetItMakesHaveItsLimits() {
        FairLimits limits = new FairLimits(1, 10, 25, 100, 1_000, 2);
        FairGate gate = limits.newGate();
        assertThat(gate.submit(SENDER, 10, done -> { })).isEmpty();
        // one runs (in flight 1), two wait (20 of the 25 bytes of the sender's share), the next is over the share
        assertThat(gate.submit(SENDER, 10, done -> { })).isEmpty();
        assertThat(gate.submit(SENDER, 10, done -> { })).isEmpty();
        assertThat(gate.submit(SENDER, 10, done -> { })).isEqualTo(Optional.of(FairQueue.Refusal.SENDER_FULL));
        assertThat(gate.inFlight()).isEqualTo(1);

        SenderBudget budget = limits.newBudget();
        assertThat(budget.take(SENDER, 1, 0)).isTrue();
        assertThat(budget.take(SENDER, 1, 0)).isTrue();
        assertThat(budget.take(SENDER, 1, 0)).as("two items per minute").isFalse();
    }

    @Test
    void refusesLimitsThatCannotWork() {
        assertThatThrownBy(() -> new FairLimits(0, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairLimits(1, 1, 2, 1, 1, 1)).hasMessageContaining("total queue");
        assertThatThrownBy(() -> new FairLimits(1, 1, 1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
