package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-user token bucket, on a stepped clock. */
class SendingRateLimitTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final SendingRateLimit limit = new SendingRateLimit(3, 60, now::get);

    @Test
    void aUserSendsTheBurstThenRegainsOneRecipientPerRateInterval() {
        for (int i = 0; i < 3; i++) {
            assertThat(limit.tryAcquire("alice@epost.test")).isTrue();
        }
        assertThat(limit.tryAcquire("alice@epost.test")).isFalse();
        assertThat(limit.tryAcquire("bob@epost.test")).as("another user's bucket").isTrue();

        now.addAndGet(59_999); // 60 an hour: one a minute
        assertThat(limit.tryAcquire("alice@epost.test")).isFalse();
        now.addAndGet(1);
        assertThat(limit.tryAcquire("alice@epost.test")).isTrue();
        assertThat(limit.tryAcquire("alice@epost.test")).isFalse();
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        for (int i = 0; i < 3; i++) {
            limit.tryAcquire("alice@epost.test");
        }
        now.addAndGet(365L * 24 * 3_600_000);
        int sent = 0;
        while (limit.tryAcquire("alice@epost.test")) {
            sent++;
        }
        assertThat(sent).isEqualTo(3);
    }

    @Test
    void aLimitWithoutBurstOrRateIsRefused() {
        assertThatThrownBy(() -> new SendingRateLimit(0, 10, now::get)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("burst 0");
        assertThatThrownBy(() -> new SendingRateLimit(1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
