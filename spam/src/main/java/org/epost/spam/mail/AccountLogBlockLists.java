package org.epost.spam.mail;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.PersonalBlockLists;

/**
 * Each user's block list in their account log (extension {@value #KEY}): encrypted with the rest of the log, rebuilt
 * from the DHT with it, and moved with it when the user is re-homed. A user without mailboxes on this peer has the
 * empty list, and changing it is refused: their list is kept on their home peer. The allow list is the same kind of
 * list under another extension ({@value #ALLOWED_KEY}).
 */
public final class AccountLogBlockLists implements PersonalBlockLists {
    public static final String KEY = "spam/blocked";
    public static final String ALLOWED_KEY = "spam/allowed";

    private final MailboxRegistry registry;
    private final String key;

    /** The block lists ({@value #KEY}). */
    public AccountLogBlockLists(MailboxRegistry registry) {
        this(registry, KEY);
    }

    /** The lists kept under extension {@code key}: {@value #KEY} or {@value #ALLOWED_KEY}. */
    public AccountLogBlockLists(MailboxRegistry registry, String key) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public BlockList of(String user) {
        Optional<UserAccount> account = registry.account(Username.of(user));
        if (account.isEmpty()) {
            return BlockList.EMPTY;
        }
        try {
            return account.get().log().read(this::listOf);
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot read the block list of " + user + ": " + e.getMessage(), e);
        }
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
        UserAccount account = registry.account(Username.of(user)).orElseThrow(() -> new IllegalArgumentException(
            "user " + user + " has no ePOST mailboxes on this peer: their lists are kept on their home peer"));
        try {
            return account.log().update(state -> {
                BlockList old = listOf(state);
                BlockList changed = change.apply(old);
                if (changed.equals(old)) {
                    return LoggedState.Plan.nothing(false);
                }
                AccountRecord record = changed.entries().isEmpty() ? new AccountRecord.ExtensionRemoved(key)
                    : new AccountRecord.ExtensionSet(key, changed.encode());
                return LoggedState.Plan.of(List.of(record.toEntry()), true);
            });
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot change the block list of " + user + ": " + e.getMessage(), e);
        }
    }

    private BlockList listOf(org.epost.mailbox.model.AccountState state) {
        return state.extension(key).map(BlockList::decode).orElse(BlockList.EMPTY);
    }
}
