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

    @Test
    void aFollowedListJunksForItsFollowerAndADiscardingDomainRefusesOrganizationBlockedMail() {
        ListRef bobs = new ListRef("bob@epost.test", "blocked");
        Map<String, Map<ListRef, BlockList>> follows = Map.of("carol@epost.test",
            Map.of(bobs, BlockList.of(List.of("spammer@epost.test"))));
        OrganizationSpamPolicy[] shared = {OrganizationSpamPolicy.EMPTY};
        BlockListPolicy withFollowing = new BlockListPolicy(personal, user -> BlockList.EMPTY,
            (user, sender) -> follows.getOrDefault(user, Map.of()).entrySet().stream()
                .filter(list -> list.getValue().blocks(sender)).map(list -> "followed " + list.getKey()).findFirst(),
            () -> shared[0], counters);

        Optional<Sender> spammer = Optional.of(Sender.verified("spammer@epost.test"));
        assertThat(withFollowing.verdict("carol@epost.test", spammer)).isEqualTo(Verdict.JUNK);
        assertThat(withFollowing.verdict("alice@epost.test", spammer)).isEqualTo(Verdict.INBOX);

        shared[0] = OrganizationSpamPolicy.EMPTY.withBlocked(BlockList.of(List.of("@spam.example")))
            .discarding("example.org", true);
        Optional<Sender> external = Optional.of(Sender.external("x@spam.example"));
        assertThat(withFollowing.verdict("dan@example.org", external)).isEqualTo(Verdict.DISCARD);
        assertThat(withFollowing.verdict("alice@epost.test", external)).as("a domain that does not discard")
            .isEqualTo(Verdict.JUNK);
        assertThat(counters.snapshot()).isEqualTo(new SpamCounters.Snapshot(2, 0, 0, 1, 0, 0, 0));
    }
}
