package org.epost.overlay.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class SenderBudgetTest {
    private static final long MINUTE = 60_000;
    private final Random random = new Random(15);
    private final Id hostile = Id.random(random);
    private final Id honest = Id.random(random);

    @Test
    void aSenderMayBurstAMinutesBytesThenGoesAtTheBudgetsPace() {
        SenderBudget budget = new SenderBudget(6_000, 1_000, 10);
        long now = 1_000_000;
        for (int i = 0; i < 6; i++) {
            assertThat(budget.take(hostile, 1_000, now)).isTrue();
        }
        assertThat(budget.take(hostile, 1_000, now)).isFalse();
        // another sender's budget is its own
        assertThat(budget.take(honest, 1_000, now)).isTrue();
        // 100 bytes per second come back: 1,000 after ten seconds, not before
        assertThat(budget.take(hostile, 1_000, now + 9_000)).isFalse();
        assertThat(budget.take(hostile, 1_000, now + 10_000)).isTrue();
        assertThat(budget.granted()).isEqualTo(8);
        assertThat(budget.refused()).isEqualTo(2);
        assertThat(budget.refusedBytes()).isEqualTo(2_000);
    }

    @Test
    void itemsAreCountedAsWellAsBytes() {
        SenderBudget budget = new SenderBudget(1L << 30, 3, 10);
        assertThat(budget.take(hostile, 1, 0)).isTrue();
        assertThat(budget.take(hostile, 1, 0)).isTrue();
        assertThat(budget.take(hostile, 1, 0)).isTrue();
        assertThat(budget.take(hostile, 1, 0)).isFalse();
        assertThat(budget.take(hostile, 1, MINUTE / 3)).isTrue();
    }

    @Test
    void anItemLargerThanTheBudgetPassesOnlyFromAFullBucket() {
        SenderBudget budget = new SenderBudget(1_000, 100, 10);
        assertThat(budget.take(hostile, 5_000, 0)).isTrue();
        assertThat(budget.take(hostile, 5_000, MINUTE)).isFalse();
        // the bucket is back to full only after the debt is paid and a minute's worth saved again
        assertThat(budget.take(hostile, 5_000, 6 * MINUTE)).isTrue();
    }

    @Test
    void aClockGoingBackRefillsNothing() {
        SenderBudget budget = new SenderBudget(1_000, 100, 10);
        assertThat(budget.take(hostile, 1_000, 10 * MINUTE)).isTrue();
        assertThat(budget.take(hostile, 1_000, 0)).isFalse();
    }

    @Test
    void fullBucketsAreForgottenFirstWhenTooManySendersAreRemembered() {
        SenderBudget budget = new SenderBudget(1_000, 100, 2);
        assertThat(budget.take(hostile, 1_000, 0)).isTrue();
        assertThat(budget.take(honest, 1, 0)).isTrue();
        // a third sender: neither is full yet, the oldest (hostile's) goes, and is granted afresh
        assertThat(budget.take(Id.random(random), 1, 0)).isTrue();
        assertThat(budget.take(hostile, 1_000, 0)).isTrue();
    }

    @Test
    void budgetsArePositive() {
        assertThatThrownBy(() -> new SenderBudget(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SenderBudget(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
