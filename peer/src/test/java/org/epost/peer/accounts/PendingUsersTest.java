package org.epost.peer.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.epost.peer.mail.PostReadiness;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.UserKeys;
import org.junit.jupiter.api.Test;

class PendingUsersTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void countsEveryPendingUserListsTheOldestFirstUpToTheBoundAndCountsThoseOverADay() {
        UserKeys keys = UserKeys.generate();
        List<CertificationRequest> requests = new ArrayList<>();
        for (int i = 0; i < PendingUsers.LISTED + 5; i++) {
            requests.add(CertificationRequest.sign("user" + i + "@epost.test", keys,
                NOW.minus(Duration.ofHours(i)).toEpochMilli()));
        }

        PendingUsers.Summary summary = PendingUsers.Summary.of(requests, NOW);

        assertThat(summary.count()).isEqualTo(PendingUsers.LISTED + 5);
        assertThat(summary.addresses()).hasSize(PendingUsers.LISTED);
        assertThat(summary.addresses().get(0)).isEqualTo("user104@epost.test");
        assertThat(summary.addresses()).doesNotContain("user0@epost.test", "user4@epost.test")
            .contains("user5@epost.test");
        assertThat(summary.overdue()).as("created more than 24 hours ago: user25 to user104").isEqualTo(80);
        assertThat(summary.oldestSince()).isEqualTo(NOW.minus(Duration.ofHours(104)).toString());
    }

    @Test
    void noneWaitingIsAnEmptySummaryAndAPeerWithoutPostHasNone() throws Exception {
        PendingUsers.Summary none = PendingUsers.Summary.of(List.of(), NOW);
        assertThat(none.count()).isZero();
        assertThat(none.addresses()).isEmpty();
        assertThat(none.overdue()).isZero();
        assertThat(none.oldestSince()).isNull();
        assertThat(new PendingUsers(new PostReadiness()).summary(NOW)).isEmpty();
    }
}
