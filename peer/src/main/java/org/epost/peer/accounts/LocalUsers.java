package org.epost.peer.accounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepositoryException;
import org.epost.overlay.api.NodeHandle;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.MovedUsers;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.peer.overlay.OverlayService;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.IdentityBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, makes the notification service serve every user homed here: each James user of an ePOST domain whose
 * keys are in this peer's vault (users added later are served by {@link AccountProvisioner} as they are provisioned)
 * — unless the user's identity block in the ring names another home: then the user was re-homed while this peer was
 * away, and is fenced off here ({@link MovedUsers}) instead of being served by two homes.
 */
public class LocalUsers {
    private static final Logger LOG = LoggerFactory.getLogger(LocalUsers.class);
    /** How long the start waits for the users' identity blocks, all read at once; a user whose block does not come is served. */
    static final Duration IDENTITY_WAIT = Duration.ofSeconds(30);

    private final EpostConfiguration configuration;
    private final PostReadiness post;
    private final PersistentUsersRepository users;
    private final OverlayService overlay;
    private final MovedUsers moved;

    @Inject
    public LocalUsers(EpostConfiguration configuration, PostReadiness post, PersistentUsersRepository users,
                      OverlayService overlay, MovedUsers moved) {
        this.configuration = configuration;
        this.post = post;
        this.users = users;
        this.overlay = overlay;
        this.moved = moved;
    }

    /** Serves the provisioned users of the ePOST domains that still live here; answers how many. */
    public int serveAll() throws UsersRepositoryException {
        Optional<PostServices> running = post.ifRunning();
        if (running.isEmpty() || configuration.post().isEmpty()) {
            return 0;
        }
        PostServices services = running.get();
        AccountService accounts = services.accounts();
        List<String> provisioned = new ArrayList<>();
        for (Iterator<Username> it = users.list(); it.hasNext(); ) {
            Username user = it.next();
            boolean epostDomain = user.getDomainPart()
                .map(domain -> configuration.post().get().isEpostDomain(domain.asString())).orElse(false);
            if (!epostDomain) {
                continue;
            }
            if (services.awaitsCertificate(user.asString())) {
                LOG.info("{} still waits for its certificate: not an ePOST recipient yet", user.asString());
            } else if (accounts.isProvisioned(user.asString())) {
                provisioned.add(user.asString());
            } else {
                LOG.warn("{} is a user of an ePOST domain without keys on this peer: its mail is not accepted here"
                    + " (remove and add the user again to provision it)", user.asString());
            }
        }
        Optional<NodeHandle> self = overlay.node().map(node -> node.transport().localHandle());
        List<CompletableFuture<IdentityBlock>> identities = provisioned.stream().map(accounts::lookupIdentity).toList();
        long deadline = System.nanoTime() + IDENTITY_WAIT.toNanos();
        int served = 0;
        for (int i = 0; i < provisioned.size(); i++) {
            String address = provisioned.get(i);
            Optional<IdentityBlock> identity = identityOf(address, identities.get(i), deadline);
            if (self.isPresent() && identity.isPresent() && !identity.get().home().id().equals(self.get().id())
                    && isNewerThanOurs(accounts, address, identity.get())) {
                NodeHandle home = identity.get().home();
                moved.moved(address, home.address());
                LOG.warn("{} was re-homed on {} ({}) while this peer was away: not served here and cannot log in here"
                    + " (remove the user on this peer)", address, home.address(), home.id());
                continue;
            }
            services.serve(address);
            served++;
        }
        LOG.info("Serving the ePOST mail of {} local users", served);
        return served;
    }

    /**
     * Only an identity newer than every one this peer published moves the user: an older one naming another home
     * (a replica that missed this peer's later versions) is stale, not a re-home.
     */
    private static boolean isNewerThanOurs(AccountService accounts, String address, IdentityBlock identity) {
        try {
            long ours = accounts.publishedIdentityVersion(address).orElse(-1L);
            if (identity.version() > ours) {
                return true;
            }
            LOG.warn("The ring serves an identity of {} (v{}) older than this peer's (v{}) naming another home;"
                + " serving it here", address, identity.version(), ours);
            return false;
        } catch (Exception e) {
            LOG.warn("Cannot read the identity version of {} in the vault ({}); serving it here", address, e.toString());
            return false;
        }
    }

    private static Optional<IdentityBlock> identityOf(String address, CompletableFuture<IdentityBlock> identity,
                                                      long deadline) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            return Optional.of(identity.get(left, TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.info("The identity of {} cannot be read now ({}); serving it as homed here", address, e.toString());
            return Optional.empty();
        }
    }
}
