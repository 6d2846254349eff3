package org.epost.spam.puzzle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class PuzzleDifficultyTest {
    @Test
    void levelsGrowByABitEachTimeTheCountDoubles() {
        PuzzleDifficulty d = new PuzzleDifficulty(2, 10, 1000);
        assertThat(d.senderBits(0)).isEqualTo(2);
        assertThat(d.senderBits(9)).isEqualTo(2);
        assertThat(d.senderBits(10)).isEqualTo(3);
        assertThat(d.senderBits(30)).isEqualTo(4);
        assertThat(d.senderBits(10_000)).isEqualTo(2 + 9);
        assertThat(d.demandedBits(0)).isEqualTo(2);
        assertThat(d.demandedBits(30)).isEqualTo(3);
        assertThat(d.senderBits(Long.MAX_VALUE)).isEqualTo(PuzzleDifficulty.MAX_BITS);
        PuzzleDifficulty published = d.withBase(5);
        assertThat(published.senderBits(0)).isEqualTo(5);
        assertThat(published.demandedBits(30)).as("escalation on top of the published base").isEqualTo(6);
        assertThat(published.freePerWindow()).isEqualTo(10);
        assertThatThrownBy(() -> d.withBase(PuzzleDifficulty.MAX_BITS + 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PuzzleDifficulty(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PuzzleDifficulty(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRateCountsTheCurrentAndPreviousWindowAndForgetsTheLeastRecentSender() {
        AtomicLong clock = new AtomicLong(10_000);
        FirstContactRate rate = new FirstContactRate(1000, 2, clock::get);
        assertThat(rate.record("a")).isEqualTo(0);
        assertThat(rate.record("a")).isEqualTo(1);
        clock.addAndGet(1000);
        assertThat(rate.record("a")).as("the previous window still counts").isEqualTo(2);
        clock.addAndGet(1000);
        assertThat(rate.record("a")).as("only the previous window").isEqualTo(1);
        clock.addAndGet(5000);
        assertThat(rate.record("a")).isEqualTo(0);
        rate.record("b");
        rate.record("c");
        assertThat(rate.senders()).isEqualTo(2);
        assertThat(rate.record("a")).as("forgotten").isEqualTo(0);
    }
}
