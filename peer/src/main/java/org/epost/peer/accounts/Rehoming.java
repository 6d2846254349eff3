package org.epost.peer.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.security.NodeCredentials;
import org.epost.peer.mail.PostApplication;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.peer.overlay.OverlayService;
import org.epost.post.accounts.Account;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.RecoveryEnvelope;
import org.epost.post.accounts.RehomeTransfer;
import org.epost.post.crypto.SealedBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-homes a user on this peer after its home peer's disk was lost (issue #14), in two steps driven by the admin:
 * {@link #request} makes a one-time transport key (kept in memory only, for {@value #REQUEST_MINUTES} minutes) and
 * answers the signed request the admin's offline tool ({@code epost-admin recover-user}) seals the user's keys to;
 * {@link #complete} opens them, adopts them (identity republished with this peer as home, envelope sealed again) and
 * adds the user to James, which provisions it here: its mail is accepted and its leases refreshed here from then on,
 * its logs are taken over by their first writer here, and delegates holding its mail find the new home when they
 * look the identity up again. See {@link RehomeTransfer} for why the recovery key itself never comes here.
 */
@Singleton
public class Rehoming {
    private static final Logger LOG = LoggerFactory.getLogger(Rehoming.class);
    static final long REQUEST_MINUTES = 60;
    private static final long TIMEOUT_SECONDS = 60;

    /** A refusal the admin must act on (wrong keys, no pending request, ...): WebAdmin answers 400 or 409. */
    public static final class RehomeException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean conflict;

        RehomeException(String message, boolean conflict, Throwable cause) {
            super(message, cause);
            this.conflict = conflict;
        }

        /** True when the user is already homed here with other keys (409); false for bad input (400). */
        public boolean conflict() {
            return conflict;
        }
    }

    private record Pending(java.security.KeyPair transport, Instant expires) {
    }

    private final PostReadiness post;
    private final PostApplication application;
    private final OverlayService overlay;
    private final UsersRepository users;
    private final AccountProvisioner provisioner;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    @Inject
    public Rehoming(PostReadiness post, PostApplication application, OverlayService overlay, UsersRepository users,
                    AccountProvisioner provisioner) {
        this(post, application, overlay, users, provisioner, Clock.systemUTC());
    }

    public Rehoming(PostReadiness post, PostApplication application, OverlayService overlay, UsersRepository users,
                    AccountProvisioner provisioner, Clock clock) {
        this.post = post;
        this.application = application;
        this.overlay = overlay;
        this.users = users;
        this.provisioner = provisioner;
        this.clock = clock;
    }

    /** A signed re-home request for {@code address}'s keys (replacing any earlier one for it). */
    public byte[] request(String address) throws Exception {
        PostServices services = running();
        NodeCredentials credentials = application.nodeCredentials()
            .orElseThrow(() -> new IllegalStateException("this peer's overlay node has no credentials"));
        String normalized = normalized(address);
        if (services.accounts().isProvisioned(normalized) && users.contains(Username.of(normalized))) {
            throw new RehomeException(normalized + " is already homed on this peer", true, null);
        }
        RecoveryEnvelope envelope;
        try {
            envelope = AccountProvisioner.await(services.accounts().lookupRecovery(normalized));
        } catch (AccountException e) {
            throw e.reason() == AccountException.Reason.NOT_FOUND
                ? new RehomeException("no recovery envelope of " + normalized + " in the ring: " + e.getMessage()
                    + " (its home peer sealed none: no recovery.pem in its post.authority)", false, e)
                : e;
        }
        java.security.KeyPair transport = SealedBox.generateKeyPair();
        pending.put(normalized, new Pending(transport, clock.instant().plus(Duration.ofMinutes(REQUEST_MINUTES))));
        LOG.info("Re-home request for {}: waiting up to {} minutes for its keys", normalized, REQUEST_MINUTES);
        return RehomeTransfer.request(envelope, transport.getPublic(), credentials.certificate(),
            credentials.privateKey());
    }

    /**
     * Opens the keys sealed to the pending request of {@code address}, adopts them and makes the user a James user
     * of this peer with {@code password} (unless it is one already).
     */
    public Account complete(String address, byte[] sealedKeys, String password) throws Exception {
        PostServices services = running();
        String normalized = normalized(address);
        Pending request = pending.get(normalized);
        if (request == null || clock.instant().isAfter(request.expires())) {
            pending.remove(normalized);
            throw new RehomeException("no pending re-home request for " + normalized + " on this peer (a request"
                + " lives " + REQUEST_MINUTES + " minutes in memory): request again", false, null);
        }
        Username user = Username.of(normalized);
        boolean jamesUser = users.contains(user);
        if (!jamesUser && (password == null || password.isEmpty())) {
            throw new RehomeException("a password for " + normalized + " is needed: it becomes a user of this peer",
                false, null);
        }
        KeyVault.Entry entry;
        try {
            entry = RehomeTransfer.openKeys(sealedKeys, normalized, request.transport());
        } catch (AccountException e) {
            throw new RehomeException(e.getMessage(), false, e);
        }
        OverlayNode node = overlay.node().orElseThrow(() -> new IllegalStateException("no overlay node"));
        Account account;
        try {
            account = AccountProvisioner.await(services.accounts().adopt(normalized, entry,
                node.transport().localHandle()));
        } catch (AccountException e) {
            boolean conflict = e.reason() == AccountException.Reason.ADDRESS_TAKEN;
            if (conflict || e.reason() == AccountException.Reason.WRONG_KEY) {
                throw new RehomeException(e.getMessage(), conflict, e);
            }
            throw e;
        }
        pending.remove(normalized, request);
        if (jamesUser) {
            provisioner.userAdded(user); // already a James user: provision (serve, lease) as adding would
        } else {
            users.addUser(user, password); // provisions through the listener: finds the adopted keys
        }
        LOG.info("Re-homed {} on this peer (identity v{})", normalized, account.identity().version());
        return account;
    }

    private PostServices running() {
        return post.ifRunning().orElseThrow(() -> new IllegalStateException("POST accounts are not running"));
    }

    private static String normalized(String address) throws RehomeException {
        try {
            return org.epost.post.accounts.AccountAddress.normalize(address);
        } catch (IllegalArgumentException e) {
            throw new RehomeException("not an address: " + address, false, e);
        }
    }
}
