package org.epost.spam.mail;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.model.AccountState;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;

/**
 * One value of the spam defences kept in each user's account log as a generic extension record ({@code key}):
 * encrypted with the rest of the log, rebuilt from the DHT with it, and moved with it when the user is re-homed. A
 * user without mailboxes on this peer has the empty value, and changing it is refused: it is kept on their home peer.
 *
 * @param <T> the immutable value, with its own canonical codec
 */
public final class AccountLogExtension<T> {
    private final MailboxRegistry registry;
    private final String key;
    private final T empty;
    private final Function<byte[], T> decode;
    private final Function<T, byte[]> encode;
    private final Predicate<T> isEmpty;
    private final String what;

    /** @param what names the value in messages ("block list") */
    public AccountLogExtension(MailboxRegistry registry, String key, String what, T empty, Predicate<T> isEmpty,
                               Function<byte[], T> decode, Function<T, byte[]> encode) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.key = Objects.requireNonNull(key, "key");
        this.what = Objects.requireNonNull(what, "what");
        this.empty = Objects.requireNonNull(empty, "empty");
        this.isEmpty = Objects.requireNonNull(isEmpty, "isEmpty");
        this.decode = Objects.requireNonNull(decode, "decode");
        this.encode = Objects.requireNonNull(encode, "encode");
    }

    public T of(String user) {
        Optional<UserAccount> account = registry.account(Username.of(user));
        if (account.isEmpty()) {
            return empty;
        }
        try {
            return account.get().log().read(this::valueOf);
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot read the " + what + " of " + user + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the value of {@code user} by what {@code change} makes of it; true when it changed.
     *
     * @throws IllegalArgumentException when the user has no mailboxes on this peer, or {@code change} refuses
     */
    public boolean change(String user, UnaryOperator<T> change) {
        UserAccount account = registry.account(Username.of(user)).orElseThrow(() -> new IllegalArgumentException(
            "user " + user + " has no ePOST mailboxes on this peer: their " + what + " is kept on their home peer"));
        try {
            return account.log().update(state -> {
                T old = valueOf(state);
                T changed = change.apply(old);
                if (changed.equals(old)) {
                    return LoggedState.Plan.nothing(false);
                }
                AccountRecord record = isEmpty.test(changed) ? new AccountRecord.ExtensionRemoved(key)
                    : new AccountRecord.ExtensionSet(key, encode.apply(changed));
                return LoggedState.Plan.of(List.of(record.toEntry()), true);
            });
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot change the " + what + " of " + user + ": " + e.getMessage(), e);
        }
    }

    private T valueOf(AccountState state) {
        return state.extension(key).map(decode).orElse(empty);
    }
}
