package org.epost.spam.mail;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.model.AccountState;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.epost.spam.policy.KnownCorrespondents;

/**
 * Each user's known correspondents in their account log (extension {@value #KEY}), like the block list: encrypted,
 * rebuilt and re-homed with the log. Only a change is written (a sender becoming known), not every delivery.
 */
public final class AccountLogCorrespondents {
    public static final String KEY = "spam/correspondents";

    private final MailboxRegistry registry;

    public AccountLogCorrespondents(MailboxRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The correspondents of {@code user}; empty for a user without mailboxes on this peer. */
    public KnownCorrespondents of(String user) {
        Optional<UserAccount> account = registry.account(Username.of(user));
        if (account.isEmpty()) {
            return KnownCorrespondents.EMPTY;
        }
        try {
            return account.get().log().read(AccountLogCorrespondents::known);
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot read the correspondents of " + user + ": " + e.getMessage(), e);
        }
    }

    /** Records that {@code user} exchanged mail with {@code address}; false when known already or not homed here. */
    public boolean learn(String user, String address) {
        Optional<UserAccount> account = registry.account(Username.of(user));
        if (account.isEmpty()) {
            return false;
        }
        try {
            return account.get().log().update(state -> {
                KnownCorrespondents old = known(state);
                KnownCorrespondents changed = old.with(address);
                if (changed == old) {
                    return LoggedState.Plan.nothing(false);
                }
                return LoggedState.Plan.of(List.of(new AccountRecord.ExtensionSet(KEY, changed.encode()).toEntry()),
                    true);
            });
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot change the correspondents of " + user + ": " + e.getMessage(), e);
        }
    }

    private static KnownCorrespondents known(AccountState state) {
        return state.extension(KEY).map(KnownCorrespondents::decode).orElse(KnownCorrespondents.EMPTY);
    }
}
