package org.epost.spam.mail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.FollowedBlockLists;
import org.epost.spam.policy.FollowedLists;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.PublishedBlockLists;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.TeamBlockLists;

/**
 * The published lists each user follows: the set is kept in their account log (extension {@value #KEY}, see
 * {@link AccountLogExtension}), so it is encrypted and follows them when re-homed; the lists themselves are fetched
 * and checked by {@link PublishedBlockLists}. The team lists a user follows ({@link #teams}) are a second set, in
 * extension {@value #TEAMS_KEY}, fetched and merged by {@link TeamBlockLists}.
 */
public final class AccountLogFollowedLists implements FollowedBlockLists {
    public static final String KEY = "spam/following";
    public static final String TEAMS_KEY = "spam/following-teams";

    private final AccountLogExtension<FollowedLists> following;
    private final Function<ListRef, BlockList> lists;
    private final String kind;

    public AccountLogFollowedLists(MailboxRegistry registry, PublishedBlockLists published) {
        this(registry, KEY, "followed list", published::get);
    }

    /** @param kind what a list is called in logs, e.g. "followed list" */
    private AccountLogFollowedLists(MailboxRegistry registry, String key, String kind,
                                    Function<ListRef, BlockList> lists) {
        this.kind = kind;
        this.following = new AccountLogExtension<>(registry, key, kind + "s", FollowedLists.NONE,
            followed -> followed.lists().isEmpty(), FollowedLists::decode, FollowedLists::encode);
        this.lists = Objects.requireNonNull(lists, "lists");
    }

    /** The team lists each user follows, as {@code teams} merges them. */
    public static AccountLogFollowedLists teams(MailboxRegistry registry, TeamBlockLists teams) {
        return new AccountLogFollowedLists(registry, TEAMS_KEY, "followed team list", teams::get);
    }

    /** The lists {@code user} follows (none for a user homed elsewhere). */
    public FollowedLists following(String user) {
        return following.of(user);
    }

    @Override
    public Optional<String> blocking(String user, Sender sender) {
        return of(user).entrySet().stream().filter(list -> list.getValue().blocks(sender))
            .map(list -> kind + " " + list.getKey()).findFirst();
    }

    /** The lists {@code user} follows and their entries as last fetched (empty until fetched). */
    public Map<ListRef, BlockList> of(String user) {
        Map<ListRef, BlockList> held = new LinkedHashMap<>();
        following.of(user).lists().forEach(ref -> held.put(ref, lists.apply(ref)));
        return held;
    }

    /**
     * Follows {@code ref}, and starts fetching it; true when it was not followed yet.
     *
     * @throws IllegalArgumentException when the user is homed elsewhere or already follows the most lists allowed
     */
    public boolean follow(String user, ListRef ref) {
        boolean changed = following.change(user, lists -> lists.with(ref));
        lists.apply(ref); // starts fetching it
        return changed;
    }

    /** Stops following {@code ref}; true when it was followed. */
    public boolean unfollow(String user, ListRef ref) {
        return following.change(user, lists -> lists.without(ref));
    }
}
