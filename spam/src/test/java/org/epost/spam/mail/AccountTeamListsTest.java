package org.epost.spam.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.james.core.Username;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.BlockListPolicy;
import org.epost.spam.policy.FollowedBlockLists;
import org.epost.spam.policy.FollowedLists;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.OrganizationSpamPolicy;
import org.epost.spam.policy.PublishedBlockLists;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.SpamCounters;
import org.epost.spam.policy.TeamBlockLists;
import org.epost.spam.policy.TeamContribution;
import org.epost.spam.policy.TeamRoster;
import org.epost.spam.policy.Verdict;
import org.junit.jupiter.api.Test;

/**
 * A team list on the real ePOST backend: alice (the owner) names bob and carol, each edits their own part with their
 * own account key, dave follows the team (the set in his account log) and mail from a listed sender lands in his
 * Junk; when alice removes bob, bob's entries stop counting at the next refresh while carol's still do.
 */
class AccountTeamListsTest {
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static final String DAVE = "dave@epost.test";
    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(),
        TestMailboxStorage.wholeMessages(dht), LogConfig.defaults());
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final ListRef team = new ListRef(ALICE, "sales");

    private TeamBlockLists teams() {
        return new TeamBlockLists(address -> {
            UserKeys keys = storage.keysOf(Username.of(address));
            return CompletableFuture.completedFuture(authority.issue(address, keys.signingPublicKey(),
                keys.encryptionPublicKey(), Long.MAX_VALUE));
        }, () -> Optional.of(dht), System::currentTimeMillis, new PublishedBlockLists.Settings(60_000, 60_000, 4096));
    }

    @Test
    void editorsChangeTheirOwnPartsAndAFollowerJunksTheMergedListUntilAnEditorIsRemoved() throws Exception {
        MailboxRegistry home = new MailboxRegistry(storage);
        TeamBlockLists held = teams();
        AccountTeamLists editing = new AccountTeamLists(home, held);
        AccountLogFollowedLists following = AccountLogFollowedLists.teams(home, held);
        BlockListPolicy policy = new BlockListPolicy(new AccountLogBlockLists(home), user -> BlockList.EMPTY,
            FollowedBlockLists.both(FollowedBlockLists.NONE, following), () -> OrganizationSpamPolicy.EMPTY,
            new SpamCounters(MetricSink.NONE));

        TeamBlockLists.Stored<TeamRoster> roster = editing.changeRoster(team, r -> r.with(BOB).with(CAROL)).get();
        assertThat(roster.version()).isZero();
        assertThat(roster.value().editors()).containsExactly(BOB, CAROL);
        // two changes at once: each is made to the version the other stored, neither is lost
        CompletableFuture<?> first = editing.changeEntries(BOB, team, list -> list.with("spammer@evil.example"));
        CompletableFuture<TeamBlockLists.Stored<BlockList>> second = editing.changeEntries(BOB, team,
            list -> list.with("@evil.example"));
        first.get();
        assertThat(second.get().version()).isEqualTo(1);
        assertThat(second.get().value().entries()).containsExactly("@evil.example", "spammer@evil.example");
        editing.changeEntries(CAROL, team, list -> list.with("pusher@epost.test")).get();

        assertThat(following.follow(DAVE, team)).isTrue();
        assertThat(held.refresh(team).get().list().entries()).containsExactly("@evil.example", "pusher@epost.test",
            "spammer@evil.example");
        assertThat(policy.verdict(DAVE, Optional.of(Sender.external("x@evil.example")))).isEqualTo(Verdict.JUNK);
        assertThat(following.blocking(DAVE, Sender.verified("pusher@epost.test")))
            .contains("followed team list " + team);
        assertThat(policy.verdict(ALICE, Optional.of(Sender.external("x@evil.example"))))
            .as("alice does not follow her team").isEqualTo(Verdict.INBOX);

        editing.changeRoster(team, r -> r.without(BOB)).get();
        TeamBlockLists.Status status = held.refresh(team).get();
        assertThat(status.rosterVersion()).isEqualTo(1);
        assertThat(status.list().entries()).containsExactly("pusher@epost.test");
        assertThat(policy.verdict(DAVE, Optional.of(Sender.external("x@evil.example")))).isEqualTo(Verdict.INBOX);
        assertThat(policy.verdict(DAVE, Optional.of(Sender.verified("pusher@epost.test")))).isEqualTo(Verdict.JUNK);
        home.close();

        // another peer: dave's followed teams come back from his log in the DHT, the team from PAST
        MailboxRegistry rebuilt = new MailboxRegistry(storage.withViews(new InMemoryLogViewStore())
            .takingOverWriters());
        TeamBlockLists elsewhere = teams();
        AccountLogFollowedLists again = AccountLogFollowedLists.teams(rebuilt, elsewhere);
        assertThat(again.following(DAVE).lists()).containsExactly(team);
        assertThat(new AccountLogFollowedLists(rebuilt, new PublishedBlockLists(address -> null, Optional::empty,
            System::currentTimeMillis, new PublishedBlockLists.Settings(1, 1, 64))).following(DAVE))
            .as("a set apart from the published lists he follows").isEqualTo(FollowedLists.NONE);
        assertThat(elsewhere.refresh(team).get().list().entries()).containsExactly("pusher@epost.test");
        assertThat(again.unfollow(DAVE, team)).isTrue();
        assertThat(again.of(DAVE)).isEmpty();
        rebuilt.close();
    }

    @Test
    void aRosterWithTooManyEditorsIsRefusedAndNothingStored() throws Exception {
        MailboxRegistry home = new MailboxRegistry(storage);
        TeamBlockLists held = teams();
        AccountTeamLists editing = new AccountTeamLists(home, held);
        TeamRoster full = TeamRoster.of(team, java.util.stream.IntStream.range(0, TeamRoster.MAX_EDITORS)
            .mapToObj(i -> "editor" + i + "@epost.test").toList());
        assertThat(editing.changeRoster(team, r -> full).get().version()).isZero();
        assertThatThrownBy(() -> editing.changeRoster(team, r -> r.with(BOB)).get())
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at most " + TeamRoster.MAX_EDITORS + " editors");
        assertThat(held.refresh(team).get().rosterVersion()).isZero();
        assertThat(held.status(team).editors()).hasSize(TeamRoster.MAX_EDITORS);
        home.close();
    }

    @Test
    void aBadEntryIsRefusedBeforeAnythingIsSigned() {
        MailboxRegistry home = new MailboxRegistry(storage);
        AccountTeamLists editing = new AccountTeamLists(home, teams());
        assertThatThrownBy(() -> editing.changeEntries(BOB, team, list -> list.with("not an entry")).get())
            .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(dht.block(new BlockKey(PublicKeyBlock.handleFor(storage.keysOf(Username.of(BOB))
            .signingPublicKey(), TeamContribution.label(team)), BlockKind.PUBLIC_KEY))).isEmpty();
        home.close();
    }
}
