package org.epost.peer.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Provider;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.epost.mailbox.storage.PostMailboxStorage;
import org.epost.mailbox.storage.SharedStoresMailboxStorage;
import org.epost.mailbox.storage.UserStorage;
import org.epost.overlay.metrics.MetricSink;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.DeletedUsers;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.UserKeys;
import org.epost.post.log.FileLogViewStore;
import org.epost.post.log.LogConfig;

/**
 * Where the ePOST mailboxes of this peer's users live: their logs and message contents in PAST (through the same
 * block and message stores as delivery), their materialized views sealed under {@code data.dir/mailbox-views}, their
 * keys in the peer's key vault. Users without an ePOST account homed here (another domain, or homed elsewhere) have
 * no mailbox on this peer.
 *
 * <p>Guice builds the mailbox layer before James starts the overlay, so the stores are resolved on first use,
 * awaiting the POST services ({@link PostReadiness}) a bounded time; an IMAP or delivery request that comes too early
 * fails with a clear error instead of finding an empty mailbox.
 */
@Singleton
public final class PeerMailboxStorage implements PostMailboxStorage {
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);

    private final MetricSink metrics;
    private final EpostConfiguration configuration;
    private final PostReadiness post;
    private final Provider<UsersRepository> users;
    private final DeletedUsers deleted;
    private volatile SharedStoresMailboxStorage shared;

    @Inject
    public PeerMailboxStorage(EpostConfiguration configuration, PostReadiness post, Provider<UsersRepository> users,
                              DeletedUsers deleted, MetricSink metrics) {
        this.deleted = deleted;
        this.metrics = metrics;
        this.configuration = configuration;
        this.post = post;
        this.users = users;
    }

    @Override
    public Optional<UserStorage> forUser(Username user) {
        return shared().forUser(user);
    }

    @Override
    public Set<Username> users() {
        return shared().users();
    }

    /** {@code data.dir/mailbox-views/skeletons}: next to the views, sealed like them. */
    @Override
    public Optional<Path> skeletonDirectory() {
        return Optional.of(configuration.dataDirectory().resolve("mailbox-views").resolve("skeletons"));
    }

    private SharedStoresMailboxStorage shared() {
        SharedStoresMailboxStorage current = shared;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (shared == null) {
                shared = open(awaitPostServices());
            }
            return shared;
        }
    }

    private PostServices awaitPostServices() {
        if (configuration.post().isEmpty()) {
            throw new IllegalStateException("Peer " + configuration.peerName() + " has no ePOST domains (post.* keys in"
                + " epost.properties): its mailboxes are ePOST mailboxes and cannot exist without them");
        }
        return post.await(STARTUP_WAIT, "the mailboxes of peer " + configuration.peerName());
    }

    private SharedStoresMailboxStorage open(PostServices services) {
        AccountService accounts = services.accounts();
        FileLogViewStore views;
        try {
            // a folder view saved again after an open replayed records is sealed off the IMAP thread
            views = FileLogViewStore.withBackgroundSaves(configuration.dataDirectory().resolve("mailbox-views"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the mailbox views of peer " + configuration.peerName(), e);
        }
        return new SharedStoresMailboxStorage(new HomedAccounts(accounts, users, deleted), services.blocks(), views,
            services.messages(), LogConfig.defaults().withMetrics(metrics), true);
    }

    /**
     * The users homed here: James users of this peer with an ePOST account in its key vault, and the users deleted
     * in James whose account is kept for the grace period (their mailboxes' blocks stay leased until it is over).
     */
    private record HomedAccounts(AccountService accounts, Provider<UsersRepository> repository, DeletedUsers deleted)
            implements SharedStoresMailboxStorage.Accounts {
        @Override
        public Optional<UserKeys> keys(Username user) {
            try {
                return accounts.keys(user.asString());
            } catch (KeyVaultException e) {
                throw new IllegalStateException("Cannot read the keys of " + user.asString() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Set<Username> users() {
            Set<Username> homed = new LinkedHashSet<>();
            try {
                for (Iterator<Username> it = repository.get().list(); it.hasNext(); ) {
                    Username user = it.next();
                    if (accounts.isProvisioned(user.asString())) {
                        homed.add(user);
                    }
                }
            } catch (UsersRepositoryException e) {
                throw new IllegalStateException("Cannot list this peer's users: " + e.getMessage(), e);
            }
            for (Username user : deleted.all().keySet()) {
                if (accounts.isProvisioned(user.asString())) {
                    homed.add(user);
                }
            }
            return homed;
        }
    }
}
