package org.epost.spam.mail;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import org.apache.james.core.Username;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.epost.post.accounts.UserKeys;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.FollowedLists;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.PublishedBlockLists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a list on its publisher's home peer, the one peer that holds the publisher's signing key: their own block
 * list, or the entries of a team list they keep. A list published from the user's own block list is remembered in
 * their account log (extension {@value #KEY}) and published again whenever that block list changes ({@link
 * #republish}, e.g. after junk learning), so followers get the user's later blocks too.
 */
public final class AccountListPublisher {
    public static final String KEY = "spam/published-own";
    private static final Logger LOG = LoggerFactory.getLogger(AccountListPublisher.class);

    private final MailboxRegistry registry;
    private final AccountLogBlockLists own;
    private final AccountLogExtension<FollowedLists> mirrors;
    private final PublishedBlockLists published;
    private final OneAtATime<ListRef> oneAtATime = new OneAtATime<>();

    public AccountListPublisher(MailboxRegistry registry, PublishedBlockLists published) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.own = new AccountLogBlockLists(registry);
        this.mirrors = new AccountLogExtension<>(registry, KEY, "lists published from the block list",
            FollowedLists.NONE, lists -> lists.lists().isEmpty(), FollowedLists::decode, FollowedLists::encode);
        this.published = Objects.requireNonNull(published, "published");
    }

    /** A published list and its version. */
    public record Published(ListRef ref, long version, BlockList list) {
    }

    /**
     * Publishes {@code entries} as the next version of {@code ref}; when empty, the publisher's own block list, which
     * is then published again at each change.
     *
     * @throws NoSuchElementException   when the publisher has no mailboxes on this peer (their key is on their home
     *                                  peer)
     * @throws IllegalArgumentException when the list is larger than peers accept
     */
    public CompletableFuture<Published> publish(ListRef ref, Optional<BlockList> entries) {
        requireHomedHere(ref);
        mirrors.change(ref.publisher(), lists -> entries.isEmpty() ? lists.with(ref) : lists.without(ref));
        return publishNow(ref, (keys, list) -> published.publish(keys, ref, list), entries);
    }

    /**
     * Unpublishes {@code ref}: a withdrawn version, after which followers' peers enforce none of its entries, and no
     * longer published again when the publisher's block list changes.
     *
     * @throws NoSuchElementException when the publisher has no mailboxes on this peer
     */
    public CompletableFuture<Published> withdraw(ListRef ref) {
        requireHomedHere(ref);
        mirrors.change(ref.publisher(), lists -> lists.without(ref));
        return publishNow(ref, (keys, list) -> published.withdraw(keys, ref), Optional.of(BlockList.EMPTY));
    }

    private void requireHomedHere(ListRef ref) {
        if (registry.account(Username.of(ref.publisher())).isEmpty()) {
            throw new NoSuchElementException("user " + ref.publisher() + " has no ePOST mailboxes on this peer: their"
                + " lists are published by their home peer, which holds their key");
        }
    }

    /** Publishes again every list {@code user} publishes from their own block list; failures are logged. */
    public void republish(String user) {
        for (ListRef ref : mirrors.of(user).lists()) {
            publishNow(ref, (keys, list) -> published.publish(keys, ref, list), Optional.empty())
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        LOG.warn("Could not publish the block list {} again after it changed: {}", ref,
                            failure.getMessage());
                    }
                });
        }
    }

    /** Publishes {@code entries} (or the publisher's own block list) with {@code publication}, one at a time. */
    private CompletableFuture<Published> publishNow(
            ListRef ref, BiFunction<UserKeys, BlockList, CompletableFuture<Long>> publication,
            Optional<BlockList> entries) {
        return oneAtATime.run(ref, () -> {
            UserAccount account = registry.account(Username.of(ref.publisher())).orElseThrow();
            BlockList list = entries.orElseGet(() -> own.of(ref.publisher())); // read when it is its turn
            return publication.apply(account.storage().keys(), list)
                .thenApply(version -> new Published(ref, version, list));
        });
    }
}
