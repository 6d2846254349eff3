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
 * empty list, and changing it is refused: their list is kept on their home peer.
 */
public final class AccountLogBlockLists implements PersonalBlockLists {
    public static final String KEY = "spam/blocked";

    private final MailboxRegistry registry;

    public AccountLogBlockLists(MailboxRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public BlockList of(String user) {
        Optional<UserAccount> account = registry.account(Username.of(user));
        if (account.isEmpty()) {
            return BlockList.EMPTY;
        }
        try {
            return account.get().log().read(AccountLogBlockLists::listOf);
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
            "user " + user + " has no ePOST mailboxes on this peer: their block list is kept on their home peer"));
        try {
            return account.log().update(state -> {
                BlockList old = listOf(state);
                BlockList changed = change.apply(old);
                if (changed.equals(old)) {
                    return LoggedState.Plan.nothing(false);
                }
                AccountRecord record = changed.entries().isEmpty() ? new AccountRecord.ExtensionRemoved(KEY)
                    : new AccountRecord.ExtensionSet(KEY, changed.encode());
                return LoggedState.Plan.of(List.of(record.toEntry()), true);
            });
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot change the block list of " + user + ": " + e.getMessage(), e);
        }
    }

    private static BlockList listOf(org.epost.mailbox.model.AccountState state) {
        return state.extension(KEY).map(BlockList::decode).orElse(BlockList.EMPTY);
    }
}
