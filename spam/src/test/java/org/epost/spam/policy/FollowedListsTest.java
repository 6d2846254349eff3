package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The set of followed lists: bounded, canonical, and the organization block's two formats. */
class FollowedListsTest {
    @Test
    void followingIsBoundedAndRoundTrips() {
        FollowedLists lists = FollowedLists.NONE;
        for (int i = 0; i < FollowedLists.MAX_FOLLOWED; i++) {
            lists = lists.with(new ListRef("user" + i + "@epost.test", "blocked"));
        }
        FollowedLists full = lists;
        assertThat(full.with(new ListRef("user0@epost.test", "blocked"))).as("following again changes nothing")
            .isEqualTo(full);
        assertThatThrownBy(() -> full.with(new ListRef("one-more@epost.test", "blocked")))
            .isInstanceOf(FollowedLists.Full.class).hasMessageContaining("at most 20");
        assertThat(FollowedLists.decode(full.encode())).isEqualTo(full);
        assertThat(full.without(new ListRef("user0@epost.test", "blocked")).lists()).hasSize(19);
        assertThatThrownBy(() -> FollowedLists.decode(new byte[] {(byte) 0x82, 0x02, (byte) 0x80}))
            .isInstanceOf(SpamFormatException.class).hasMessageContaining("version");
    }

    @Test
    void theOrganizationBlockCarriesDiscardDomainsAndStillReadsTheBareListOfVersionOne() {
        OrganizationSpamPolicy policy = OrganizationSpamPolicy.EMPTY.withBlocked(BlockList.of(List.of("@spam.example")))
            .discarding("Example.ORG", true);
        assertThat(OrganizationSpamPolicy.decode(policy.encode())).isEqualTo(policy);
        assertThat(policy.discardsFor("bob@example.org")).isTrue();
        assertThat(policy.discardsFor("bob@epost.test")).isFalse();
        assertThat(policy.discarding("example.org", false).discardDomains()).isEmpty();

        OrganizationSpamPolicy old = OrganizationSpamPolicy.decode(BlockList.of(List.of("a@b.example")).encode());
        assertThat(old.blocked().entries()).containsExactly("a@b.example");
        assertThat(old.discardDomains()).isEmpty();
        assertThatThrownBy(() -> OrganizationSpamPolicy.decode(new byte[] {1})).isInstanceOf(SpamFormatException.class);
        assertThatThrownBy(() -> policy.discarding("a@b", true)).isInstanceOf(IllegalArgumentException.class);
    }
}
