package org.epost.mailbox.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Username;
import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.BlockService;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogViewStore;
import org.epost.post.message.MessageStore;

/**
 * The peer's {@link PostMailboxStorage}: every user homed here has their logs and contents in the same block
 * service (PAST), view store (a FileLogViewStore under the data directory) and message store; only the keys differ,
 * and they come from the peer's accounts ({@link Accounts}).
 */
public final class SharedStoresMailboxStorage implements PostMailboxStorage {

    /** The users homed on this peer and their private keys (the peer's AccountService and users repository). */
    public interface Accounts {
        /** The keys of {@code user}, or empty when the user has no ePOST account homed on this peer. */
        Optional<UserKeys> keys(Username user);

        /** Every user homed on this peer. */
        Set<Username> users();
    }

    private final Accounts accounts;
    private final BlockService blocks;
    private final LogViewStore views;
    private final MessageStore messages;
    private final LogConfig logConfig;
    private final boolean takeOverWriters;

    /** @param takeOverWriters see {@link UserStorage}: true on the users' home peer */
    public SharedStoresMailboxStorage(Accounts accounts, BlockService blocks, LogViewStore views,
                                      MessageStore messages, LogConfig logConfig, boolean takeOverWriters) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.views = Objects.requireNonNull(views, "views");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.logConfig = Objects.requireNonNull(logConfig, "logConfig");
        this.takeOverWriters = takeOverWriters;
    }

    @Override
    public Optional<UserStorage> forUser(Username user) {
        return accounts.keys(user)
            .map(keys -> new UserStorage(keys, blocks, views, messages, logConfig, takeOverWriters));
    }

    @Override
    public Set<Username> users() {
        return accounts.users();
    }
}
