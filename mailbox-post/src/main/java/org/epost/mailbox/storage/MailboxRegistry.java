package org.epost.mailbox.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.FolderId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts this process has opened, each with its folders: one {@link UserAccount} per user and one
 * {@link Folder} per folder, so every log has exactly one writer here, reused by every mapper and session.
 */
public final class MailboxRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxRegistry.class);

    private final PostMailboxStorage storage;
    private final ConcurrentHashMap<Username, UserAccount> accounts = new ConcurrentHashMap<>();

    public MailboxRegistry(PostMailboxStorage storage) {
        this.storage = storage;
    }

    /** The account of {@code user}, or empty when this peer keeps no mailboxes for them. */
    public Optional<UserAccount> account(Username user) {
        UserAccount open = accounts.get(user);
        if (open != null) {
            return Optional.of(open);
        }
        return storage.forUser(user).map(userStorage -> accounts.computeIfAbsent(user,
            owner -> new UserAccount(owner, userStorage)));
    }

    public UserAccount requireAccount(Username user) throws MailboxException {
        return account(user).orElseThrow(() -> new MailboxException("user " + user.asString()
            + " has no ePOST mailboxes on this peer"));
    }

    public Folder folder(Username owner, FolderId id) throws MailboxException {
        Optional<UserAccount> account = account(owner);
        if (account.isEmpty()) {
            throw new FolderNotFoundException(owner, id);
        }
        return account.get().folder(id);
    }

    /** Every account this peer keeps. */
    public List<UserAccount> allAccounts() {
        List<UserAccount> all = new ArrayList<>();
        for (Username user : storage.users()) {
            account(user).ifPresent(all::add);
        }
        return all;
    }

    /** Closes every log (each writer releases its lease and caches its view). */
    @Override
    public void close() {
        accounts.values().forEach(account -> {
            try {
                account.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the mailboxes of {} failed: {}", account.owner().asString(), e.getMessage());
            }
        });
        accounts.clear();
    }
}
