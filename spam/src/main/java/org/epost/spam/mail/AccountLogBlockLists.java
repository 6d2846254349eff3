package org.epost.spam.mail;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.PersonalBlockLists;

/**
 * Each user's block list in their account log (extension {@value #KEY}, see {@link AccountLogExtension}): a user
 * without mailboxes on this peer has the empty list, and changing it is refused: their list is kept on their home peer.
 * Each change is told to {@code changed} (the user's address), which republishes the list where the user publishes it.
 */
public final class AccountLogBlockLists implements PersonalBlockLists {
    public static final String KEY = "spam/blocked";

    private final AccountLogExtension<BlockList> lists;
    private final Consumer<String> changed;

    public AccountLogBlockLists(MailboxRegistry registry) {
        this(registry, user -> { });
    }

    public AccountLogBlockLists(MailboxRegistry registry, Consumer<String> changed) {
        this.lists = new AccountLogExtension<>(registry, KEY, "block list", BlockList.EMPTY,
            list -> list.entries().isEmpty(), BlockList::decode, BlockList::encode);
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    @Override
    public BlockList of(String user) {
        return lists.of(user);
    }

    @Override
    public boolean block(String user, String entry) {
        return change(user, list -> list.with(entry));
    }

    @Override
    public boolean unblock(String user, String entry) {
        return change(user, list -> list.without(entry));
    }

    /** Replaces the whole list of {@code user} (WebAdmin); true when it changed. */
    public boolean replace(String user, BlockList list) {
        return change(user, old -> list);
    }

    private boolean change(String user, UnaryOperator<BlockList> change) {
        boolean done = lists.change(user, change);
        if (done) {
            changed.accept(user);
        }
        return done;
    }
}
