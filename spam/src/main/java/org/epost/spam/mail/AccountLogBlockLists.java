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
 * The allow list is the same kind of list under another extension ({@value #ALLOWED_KEY}).
 */
public final class AccountLogBlockLists implements PersonalBlockLists {
    public static final String KEY = "spam/blocked";
    public static final String ALLOWED_KEY = "spam/allowed";

    private final AccountLogExtension<BlockList> lists;
    private final Consumer<String> changed;

    /** The block lists ({@value #KEY}). */
    public AccountLogBlockLists(MailboxRegistry registry) {
        this(registry, KEY, user -> { });
    }

    /**
     * @param key     {@value #KEY} or {@value #ALLOWED_KEY}
     * @param changed told the address of each user whose list changed
     */
    public AccountLogBlockLists(MailboxRegistry registry, String key, Consumer<String> changed) {
        this.lists = new AccountLogExtension<>(registry, key, KEY.equals(key) ? "block list" : "allow list",
            BlockList.EMPTY, list -> list.entries().isEmpty(), BlockList::decode, BlockList::encode);
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
