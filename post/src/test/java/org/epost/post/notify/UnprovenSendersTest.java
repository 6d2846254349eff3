package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnprovenSendersTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void givesUpOnlyAfterEnoughFailuresSpreadOverEnoughTime() {
        UnprovenSenders unproven = new UnprovenSenders();
        // many failures within minutes: never enough, however many
        for (int i = 0; i < 10; i++) {
            assertThat(unproven.failedAndGiveUp("a", i * 60_000L)).isFalse();
        }
        assertThat(unproven.failedAndGiveUp("a", 6 * HOUR)).isTrue();
        // given up: a later failure starts counting again
        assertThat(unproven.failedAndGiveUp("a", 7 * HOUR)).isFalse();
    }

    @Test
    void sixHoursWithFewerThanThreeFailuresIsNotEnough() {
        UnprovenSenders unproven = new UnprovenSenders();
        assertThat(unproven.failedAndGiveUp("b", 0)).isFalse();
        assertThat(unproven.failedAndGiveUp("b", 10 * HOUR)).isFalse();
        assertThat(unproven.failedAndGiveUp("b", 10 * HOUR + 1)).isTrue();
    }

    @Test
    void anAcceptedNotificationIsForgotten() {
        UnprovenSenders unproven = new UnprovenSenders();
        unproven.failedAndGiveUp("c", 0);
        unproven.failedAndGiveUp("c", HOUR);
        unproven.forget("c");
        assertThat(unproven.tracked()).isZero();
        assertThat(unproven.failedAndGiveUp("c", 7 * HOUR)).isFalse();
    }

    @Test
    void theOldestIdsAreForgottenBeyondTheBound() {
        UnprovenSenders unproven = new UnprovenSenders();
        for (int i = 0; i <= UnprovenSenders.MAX_TRACKED; i++) {
            unproven.failedAndGiveUp("id-" + i, 0);
        }
        assertThat(unproven.tracked()).isEqualTo(UnprovenSenders.MAX_TRACKED);
        unproven.failedAndGiveUp("id-0", HOUR);
        // id-0 was forgotten: this is its first failure again, so six hours later with two more it is not enough
        assertThat(unproven.failedAndGiveUp("id-0", 6 * HOUR + 1)).isFalse();
        assertThat(unproven.failedAndGiveUp("id-0", 7 * HOUR + 2)).isTrue();
    }
}
