package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.post.lease.LeaseConfig;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.RefreshReport;
import org.junit.jupiter.api.Test;

/** The health rule over the rounds a refresher reports: 100-second leases refreshed every 20 s (slack 80 s). */
class LeaseHealthTest {
    private static final LeaseConfig CONFIG = new LeaseConfig(100_000, 20_000, 5_000, 4);
    private static final LeaseReference A = reference("a");
    private static final LeaseReference B = reference("b");
    private static final LeaseReference C = reference("c");

    private final RefreshHistory history = new RefreshHistory();

    @Test
    void healthyBeforeAnyRoundAndAfterARoundThatRefreshedEverything() {
        assertThat(judge(0, 3, 0).level()).isEqualTo(LeaseHealth.Level.HEALTHY);

        history.accept(round(false, 0, List.of(A, B, C), Map.of()));

        assertThat(judge(0, 3, 1_000).level()).isEqualTo(LeaseHealth.Level.HEALTHY);
    }

    @Test
    void aFewReferencesWaitingForARetryDegradeUntilTheyHaveFailedForHalfTheSlack() {
        history.accept(round(false, 0, List.of(A, B), Map.of(C, "no holder answered holding it")));
        for (int i = 1; i <= 5; i++) {
            history.accept(round(true, i * 5_000, List.of(), Map.of(C, "no holder answered holding it")));
        }

        LeaseHealth.Verdict stillRetrying = judge(1, 3, 39_999);
        LeaseHealth.Verdict tooLong = judge(1, 3, 40_000);

        assertThat(stillRetrying.level()).isEqualTo(LeaseHealth.Level.DEGRADED);
        assertThat(stillRetrying.reason()).contains("1 references failed").contains("block").contains("no holder");
        assertThat(tooLong.level()).isEqualTo(LeaseHealth.Level.UNHEALTHY);
        assertThat(tooLong.reason()).contains("could not be refreshed for PT40S");
    }

    @Test
    void refreshingNothingForThreeRoundsIsUnhealthyAtOnce() {
        Map<LeaseReference, String> all = Map.of(A, "timeout", B, "timeout", C, "timeout");
        history.accept(round(false, 0, List.of(), all));
        history.accept(round(true, 5_000, List.of(), all));
        assertThat(judge(3, 3, 10_000).level()).isEqualTo(LeaseHealth.Level.DEGRADED);

        history.accept(round(true, 10_000, List.of(), all));

        LeaseHealth.Verdict verdict = judge(3, 3, 15_000);
        assertThat(verdict.level()).isEqualTo(LeaseHealth.Level.UNHEALTHY);
        assertThat(verdict.reason()).contains("last 3 lease refresh rounds refreshed nothing");
    }

    @Test
    void aRoundThatRefreshesEverythingEndsTheStreak() {
        history.accept(round(false, 0, List.of(A), Map.of(B, "timeout")));
        history.accept(round(true, 5_000, List.of(B), Map.of()));

        assertThat(history.snapshot().failingRounds()).isZero();
        assertThat(judge(0, 2, 90_000).level()).isEqualTo(LeaseHealth.Level.HEALTHY);
    }

    private LeaseHealth.Verdict judge(int pending, int referenced, long now) {
        return LeaseHealth.judge(history.snapshot(), pending, referenced, now, CONFIG);
    }

    private static RefreshReport round(boolean retry, long startedAt, List<LeaseReference> refreshed,
                                       Map<LeaseReference, String> failed) {
        return new RefreshReport(retry, startedAt, startedAt + 100, startedAt + CONFIG.leaseMillis(), refreshed, failed);
    }

    private static LeaseReference reference(String name) {
        return LeaseReference.of(new BlockKey(Id.hash(name), BlockKind.CONTENT_HASH));
    }
}
