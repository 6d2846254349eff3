package org.epost.spam.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.james.core.Username;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.FollowedLists;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.PublishedBlockLists;
import org.junit.jupiter.api.Test;

/**
 * Following on the real ePOST backend: the set is an extension record of carol's account log, read back by a peer
 * that rebuilds the log from the DHT alone; bob's list is published with his own account key and carol's followed
 * lists then hold its entries, and its later changes.
 */
class AccountLogFollowedListsTest {
    private static final Username BOB = Username.of("bob@epost.test");
    private static final String CAROL = "carol@epost.test";
    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final TestMailboxStorage storage = new TestMailboxStorage(dht, new InMemoryLogViewStore(),
        TestMailboxStorage.wholeMessages(dht), LogConfig.defaults());
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final ListRef bobs = new ListRef(BOB.asString(), "blocked");

    private PublishedBlockLists published() {
        return new PublishedBlockLists(address -> {
            UserKeys keys = storage.keysOf(Username.of(address));
            return CompletableFuture.completedFuture(authority.issue(address, keys.signingPublicKey(),
                keys.encryptionPublicKey(), Long.MAX_VALUE));
        }, () -> Optional.of(dht), System::currentTimeMillis, new PublishedBlockLists.Settings(60_000, 60_000, 4096));
    }

    @Test
    void followingRoundTripsThroughTheAccountLogAndAppliesThePublishedList() throws Exception {
        MailboxRegistry home = new MailboxRegistry(storage);
        PublishedBlockLists lists = published();
        AccountLogFollowedLists following = new AccountLogFollowedLists(home, lists);
        assertThat(following.following(CAROL)).isEqualTo(FollowedLists.NONE);

        AccountListPublisher publisher = new AccountListPublisher(home, lists);
        AccountLogBlockLists personal = new AccountLogBlockLists(home, AccountLogBlockLists.KEY, publisher::republish);
        personal.block(BOB.asString(), "spammer@epost.test");
        assertThat(publisher.publish(bobs, Optional.empty()).get().version()).isZero();

        assertThat(following.follow(CAROL, bobs)).isTrue();
        assertThat(following.follow(CAROL, bobs)).as("following twice changes nothing").isFalse();
        assertThat(lists.refresh(bobs).get().version()).isZero();
        assertThat(following.of(CAROL)).containsEntry(bobs, BlockList.of(List.of("spammer@epost.test")));
        assertThat(following.of("alice@epost.test")).isEmpty();

        // bob's list changes (junk learning, WebAdmin): the list he publishes from it follows
        personal.block(BOB.asString(), "@spam.example");
        assertThat(lists.refresh(bobs).get().version()).isEqualTo(1);
        assertThat(following.of(CAROL).get(bobs).entries()).containsExactly("@spam.example", "spammer@epost.test");
        // a team list (entries given) is not republished from bob's own list
        ListRef team = new ListRef(BOB.asString(), "team");
        publisher.publish(team, Optional.of(BlockList.of(List.of("x@y.example")))).get();
        personal.unblock(BOB.asString(), "@spam.example");
        assertThat(lists.refresh(team).get().list().entries()).containsExactly("x@y.example");
        assertThat(lists.refresh(bobs).get().list().entries()).containsExactly("spammer@epost.test");

        // bob unpublishes his list: carol's peer drops its entries, and his later blocks are not published
        assertThat(publisher.withdraw(bobs).get().version()).isEqualTo(3);
        assertThat(lists.refresh(bobs).get().problem()).contains(PublishedBlockLists.WITHDRAWN);
        assertThat(following.of(CAROL).get(bobs)).isEqualTo(BlockList.EMPTY);
        personal.block(BOB.asString(), "later@spam.example");
        assertThat(lists.refresh(bobs).get().version()).isEqualTo(3);
        home.close();

        // another peer (carol re-homed, or her peer's disk lost): the set comes back from her log in the DHT
        MailboxRegistry rebuilt = new MailboxRegistry(storage.withViews(new InMemoryLogViewStore())
            .takingOverWriters());
        AccountLogFollowedLists again = new AccountLogFollowedLists(rebuilt, published());
        assertThat(again.following(CAROL).lists()).containsExactly(bobs);

        assertThat(again.unfollow(CAROL, bobs)).isTrue();
        assertThat(again.following(CAROL)).isEqualTo(FollowedLists.NONE);
        assertThat(again.unfollow(CAROL, bobs)).isFalse();
        rebuilt.close();
    }
}
