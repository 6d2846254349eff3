package org.epost.spam.mail;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.PersonalBlockLists;

/**
 * Each user's block list in their account log (extension {@value #KEY}, see {@link AccountLogExtension}): a user
 * without mailboxes on this peer has the empty list, and changing it is refused: their list is kept on their home peer.
 */
public final class AccountLogBlockLists implements PersonalBlockLists {
    public static final String KEY = "spam/blocked";

    private final AccountLogExtension<BlockList> lists;

    public AccountLogBlockLists(MailboxRegistry registry) {
        this.lists = new AccountLogExtension<>(registry, KEY, "block list", BlockList.EMPTY,
            list -> list.entries().isEmpty(), BlockList::decode, BlockList::encode);
    }

    @Override
    public BlockList of(String user) {
        return lists.of(user);
    }

    @Override
    public boolean block(String user, String entry) {
        return lists.change(user, list -> list.with(entry));
    }

    @Override
    public boolean unblock(String user, String entry) {
        return lists.change(user, list -> list.without(entry));
    }

    /** Replaces the whole list of {@code user} (WebAdmin); true when it changed. */
    public boolean replace(String user, BlockList list) {
        return lists.change(user, old -> list);
    }
}
