package org.epost.spam.mail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.FollowedBlockLists;
import org.epost.spam.policy.FollowedLists;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.PublishedBlockLists;

/**
 * The published lists each user follows: the set is kept in their account log (extension {@value #KEY}, see
 * {@link AccountLogExtension}), so it is encrypted and follows them when re-homed; the lists themselves are fetched
 * and checked by {@link PublishedBlockLists}.
 */
public final class AccountLogFollowedLists implements FollowedBlockLists {
    public static final String KEY = "spam/following";

    private final AccountLogExtension<FollowedLists> following;
    private final PublishedBlockLists published;

    public AccountLogFollowedLists(MailboxRegistry registry, PublishedBlockLists published) {
        this.following = new AccountLogExtension<>(registry, KEY, "followed lists", FollowedLists.NONE,
            lists -> lists.lists().isEmpty(), FollowedLists::decode, FollowedLists::encode);
        this.published = Objects.requireNonNull(published, "published");
    }

    /** The lists {@code user} follows (none for a user homed elsewhere). */
    public FollowedLists following(String user) {
        return following.of(user);
    }

    @Override
    public Map<ListRef, BlockList> of(String user) {
        Map<ListRef, BlockList> lists = new LinkedHashMap<>();
        following.of(user).lists().forEach(ref -> lists.put(ref, published.get(ref)));
        return lists;
    }

    /**
     * Follows {@code ref}, and starts fetching it; true when it was not followed yet.
     *
     * @throws IllegalArgumentException when the user is homed elsewhere or already follows the most lists allowed
     */
    public boolean follow(String user, ListRef ref) {
        boolean changed = following.change(user, lists -> lists.with(ref));
        published.get(ref);
        return changed;
    }

    /** Stops following {@code ref}; true when it was followed. */
    public boolean unfollow(String user, ListRef ref) {
        return following.change(user, lists -> lists.without(ref));
    }
}
