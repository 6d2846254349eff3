package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** INBOX or Junk from the recipient's own list and the organization's; a list that cannot be read lets mail in. */
class BlockListPolicyTest {
    private final Map<String, BlockList> lists = new HashMap<>();
    private final PersonalBlockLists personal = new PersonalBlockLists() {
        @Override
        public BlockList of(String user) {
            if (user.startsWith("broken")) {
                throw new IllegalStateException("unreadable account log");
            }
            return lists.getOrDefault(user, BlockList.EMPTY);
        }

        @Override
        public boolean block(String user, String entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean unblock(String user, String entry) {
            throw new UnsupportedOperationException();
        }
    };
    private BlockList organization = BlockList.EMPTY;
    private final SpamCounters counters = new SpamCounters(org.epost.overlay.metrics.MetricSink.NONE);
    private final BlockListPolicy policy = new BlockListPolicy(personal, () -> organization, counters);

    @Test
    void aSenderOnTheRecipientsListIsJunkedForThatRecipientOnly() {
        lists.put("bob@epost.test", BlockList.of(List.of("mallory@epost.test")));

        assertThat(policy.verdict("bob@epost.test", Optional.of(Sender.verified("mallory@epost.test"))))
            .isEqualTo(Verdict.JUNK);
        assertThat(policy.verdict("carol@epost.test", Optional.of(Sender.verified("mallory@epost.test"))))
            .isEqualTo(Verdict.INBOX);
        assertThat(policy.verdict("bob@epost.test", Optional.of(Sender.verified("alice@epost.test"))))
            .isEqualTo(Verdict.INBOX);
        assertThat(counters.junkedCount()).isEqualTo(1);
    }

    @Test
    void theOrganizationListJunksForEveryone() {
        organization = BlockList.of(List.of("@spam.example"));

        assertThat(policy.verdict("carol@epost.test", Optional.of(Sender.external("x@spam.example"))))
            .isEqualTo(Verdict.JUNK);
        assertThat(counters.junkedCount()).isEqualTo(1);
    }

    @Test
    void noSenderOrAnUnreadableListMeansInbox() {
        organization = BlockList.of(List.of("mallory@epost.test"));

        assertThat(policy.verdict("bob@epost.test", Optional.empty())).isEqualTo(Verdict.INBOX);
        assertThat(policy.verdict("broken@epost.test", Optional.of(Sender.verified("mallory@epost.test"))))
            .isEqualTo(Verdict.INBOX);
        assertThat(counters.junkedCount()).isZero();
    }
}
