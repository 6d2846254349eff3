package org.epost.spam.mail;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.james.core.Username;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.PersonalBlockLists;
import org.epost.spam.policy.PublishedBlockLists;

/**
 * Publishes a list on its publisher's home peer, the one peer that holds the publisher's signing key: their own block
 * list as it is now (a snapshot; junk learning changes only the private list until it is published again), or the
 * entries of a team list they keep.
 */
public final class AccountListPublisher {
    private final MailboxRegistry registry;
    private final PersonalBlockLists personal;
    private final PublishedBlockLists published;

    public AccountListPublisher(MailboxRegistry registry, PersonalBlockLists personal, PublishedBlockLists published) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.personal = Objects.requireNonNull(personal, "personal");
        this.published = Objects.requireNonNull(published, "published");
    }

    /** A published list and its version. */
    public record Published(ListRef ref, long version, BlockList list) {
    }

    /**
     * Publishes {@code entries}, or the publisher's own block list when empty, as the next version of {@code ref}.
     *
     * @throws NoSuchElementException   when the publisher has no mailboxes on this peer (their key is on their home
     *                                  peer)
     * @throws IllegalArgumentException when the list is larger than peers accept
     */
    public CompletableFuture<Published> publish(ListRef ref, Optional<BlockList> entries) {
        UserAccount account = registry.account(Username.of(ref.publisher())).orElseThrow(() ->
            new NoSuchElementException("user " + ref.publisher() + " has no ePOST mailboxes on this peer: their"
                + " lists are published by their home peer, which holds their key"));
        BlockList list = entries.orElseGet(() -> personal.of(ref.publisher()));
        return published.publish(account.storage().keys(), ref, list)
            .thenApply(version -> new Published(ref, version, list));
    }
}
