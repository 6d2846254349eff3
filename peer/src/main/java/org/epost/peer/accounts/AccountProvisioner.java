package org.epost.peer.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.epost.overlay.node.OverlayNode;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.DeletedUsers;
import org.epost.peer.directory.MovedUsers;
import org.epost.peer.directory.UserLifecycleListener;
import org.epost.peer.lease.HomedAccountReferences;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.peer.overlay.OverlayService;
import org.epost.post.accounts.Account;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.lease.LeaseMandate;
import org.epost.post.lease.MandatePublisher;
import org.epost.post.store.PartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every user James adds on an ePOST domain its POST account — keys sealed in this peer's vault, a CA-signed
 * certificate block and an identity block naming this peer as home — whether the admin used the James CLI or
 * WebAdmin, and makes this peer accept the user's mail notifications. If that cannot be done (the overlay is not in a
 * ring yet, PAST refuses), the user is not added and the admin sees why. A provisioned account's blocks are kept alive
 * by the peer's lease refresh until the user is removed.
 */
public class AccountProvisioner implements UserLifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger(AccountProvisioner.class);
    private static final long TIMEOUT_SECONDS = 60;
    /** How long the last, empty mandate of a given-up user stays (the guardians only need to see it once). */
    private static final long LAST_MANDATE_LEASE_MILLIS = 30L * 86_400_000L;

    private final EpostConfiguration configuration;
    private final OverlayService overlay;
    private final PostReadiness post;
    private final HomedAccountReferences homedAccounts;
    private final DeletedUsers deleted;
    private final Clock clock;
    private MovedUsers moved = new MovedUsers();

    @Inject
    public AccountProvisioner(EpostConfiguration configuration, OverlayService overlay, PostReadiness post,
                              HomedAccountReferences homedAccounts, DeletedUsers deleted, MovedUsers moved) {
        this(configuration, overlay, post, homedAccounts, deleted, Clock.systemUTC());
        this.moved = moved;
    }

    /** Without a store of deleted users: a deleted user's keys are given up at once (no grace period). */
    public AccountProvisioner(EpostConfiguration configuration, OverlayService overlay, PostReadiness post,
                              HomedAccountReferences homedAccounts) {
        this(configuration, overlay, post, homedAccounts, null, Clock.systemUTC());
    }

    public AccountProvisioner(EpostConfiguration configuration, OverlayService overlay, PostReadiness post,
                              HomedAccountReferences homedAccounts, DeletedUsers deleted, Clock clock) {
        this.configuration = configuration;
        this.overlay = overlay;
        this.post = post;
        this.homedAccounts = homedAccounts;
        this.deleted = deleted;
        this.clock = clock;
    }

    @Override
    public void userAdded(Username username) throws Exception {
        if (!isEpostUser(username)) {
            return;
        }
        OverlayNode node = overlay.node().filter(AccountProvisioner::inRing)
            .orElseThrow(() -> new IllegalStateException("the ePOST overlay node of this peer is not in a ring yet; retry shortly"));
        PostServices services = post.ifRunning()
            .orElseThrow(() -> new IllegalStateException("POST accounts are not running"));
        if (services.certification().isPresent()) {
            Optional<CertificationRequest> request = await(services.certification().get().begin(username.asString()));
            if (request.isPresent()) {
                LOG.info("{} waits for its certificate (this peer holds no user CA key): the admin fetches GET"
                    + " /epost/users/{}/certification-request, runs epost-admin certify-user and POSTs the certificate"
                    + " to /epost/users/{}/certificate; until then it is not an ePOST recipient", request.get().address(),
                    request.get().address(), request.get().address());
                return;
            }
        }
        Account account = await(services.accounts().provision(username.asString(), node.transport().localHandle()));
        homedAccounts.track(account.address(), services.accounts().leasedBlocks(account.address()).orElseThrow());
        services.serve(username.asString());
        Optional<Instant> deletedAt = deleted == null ? Optional.empty() : deleted.deletedAt(username);
        if (deletedAt.isPresent()) {
            deleted.unmark(username);
            LOG.info("Restored the ePOST account of {} (deleted {}, within the grace period): same keys and mailboxes",
                username.asString(), deletedAt.get());
        } else {
            LOG.info("Provisioned the ePOST account of {}", username.asString());
        }
    }

    /**
     * Stops accepting the user's mail here (delegates keep it); with a grace period ({@code post.account.grace}) the
     * keys stay in the vault and the leases are refreshed until {@link AccountGrace} gives them up, so that adding
     * the user again restores everything. Without one the keys are destroyed at once.
     */
    @Override
    public void userRemoving(Username username) throws Exception {
        Optional<PostServices> services = post.ifRunning();
        if (!isEpostUser(username) || services.isEmpty()) {
            return;
        }
        services.get().retire(username.asString());
        if (services.get().awaitsCertificate(username.asString())) {
            // never certified: nothing of it is in the ring, nothing to keep
            await(services.get().certification().orElseThrow().abandon(username.asString()));
            LOG.info("Removed {} before it was certified: its keys and certification request are gone",
                username.asString());
            return;
        }
        if (moved.newHomeOf(username.asString()).isPresent()) {
            // Re-homed elsewhere: the keys here are a stale copy. Its lease mandate is the new home's now, so no
            // last empty mandate from here (it would tell the guardians the account ended).
            homedAccounts.forget(username.asString());
            await(services.get().accounts().deprovision(username.asString()));
            LOG.info("Removed the stale ePOST keys of {}, re-homed on {}", username.asString(),
                moved.newHomeOf(username.asString()).get());
            return;
        }
        Duration grace = configuration.account().grace();
        if (deleted != null && !grace.isZero() && services.get().accounts().isProvisioned(username.asString())) {
            Instant now = clock.instant();
            deleted.mark(username, now);
            LOG.info("Deleted {}: its ePOST keys and data are kept until {} (post.account.grace); adding the user"
                + " again before then restores them", username.asString(), now.plus(grace));
            return;
        }
        giveUp(services.get(), homedAccounts, username);
    }

    /** Destroys the keys of {@code username} on this peer and stops refreshing its account's leases. */
    static void giveUp(PostServices services, HomedAccountReferences homedAccounts, Username username)
            throws Exception {
        homedAccounts.forget(username.asString());
        endMandate(services, username.asString());
        await(services.accounts().deprovision(username.asString()));
        LOG.info("Removed the ePOST keys of {} from this peer; its blocks lapse with their leases", username.asString());
    }

    /**
     * Publishes a last, empty lease mandate held until now, while the keys still exist: without it the guardians
     * would take the silence for a home that is down and keep the user's blocks until its certificate expires.
     */
    private static void endMandate(PostServices services, String address) {
        try {
            Optional<UserKeys> keys = services.accounts().keys(address);
            if (keys.isEmpty()) {
                return;
            }
            long now = System.currentTimeMillis();
            MandatePublisher publisher = new MandatePublisher(services.blocks(),
                new PartStore(services.blocks(), new ConvergentCipher(Optional.empty())));
            await(publisher.publish(keys.get().signing(), new LeaseMandate(address, now, now, List.of()),
                now + LAST_MANDATE_LEASE_MILLIS));
        } catch (Exception e) {
            LOG.warn("Cannot end the lease mandate of {}; its guardians may keep its blocks until its certificate"
                + " expires: {}", address, e.getMessage());
        }
    }

    private static boolean inRing(OverlayNode node) {
        try {
            return node.status().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).ready();
        } catch (Exception e) {
            return false;
        }
    }

    private boolean isEpostUser(Username username) {
        return configuration.post().isPresent() && username.getDomainPart()
            .map(domain -> configuration.post().get().isEpostDomain(domain.asString()))
            .orElse(false);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = AccountService.unwrap(e.getCause());
            throw cause instanceof Exception ? (Exception) cause : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new TimeoutException("the ePOST overlay did not answer within " + TIMEOUT_SECONDS + " s");
        }
    }
}
