package org.epost.peer.accounts;

import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserCertification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's side of provisioning on a peer without the user CA key: the pending request of a user to hand to
 * {@code epost-admin certify-user}, and the certificate it issued, which this peer checks ({@link UserCertification})
 * and then finishes the account with (certificate and identity into PAST, the user served and its leases kept), as
 * adding the user on a peer with the key does at once.
 */
@Singleton
public class Certifications {
    private static final Logger LOG = LoggerFactory.getLogger(Certifications.class);

    /** A refusal the admin must act on; WebAdmin answers 404, 409 or 400 by its kind. */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        /** NOT_FOUND: no such user or request; CONFLICT: not in a state to take it; INVALID: a bad certificate. */
        public enum Kind { NOT_FOUND, CONFLICT, INVALID }

        private final Kind kind;

        Refusal(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final PostReadiness post;
    private final UsersRepository users;
    private final AccountProvisioner provisioner;

    @Inject
    public Certifications(PostReadiness post, UsersRepository users, AccountProvisioner provisioner) {
        this.post = post;
        this.users = users;
        this.provisioner = provisioner;
    }

    /** The pending certification request of {@code address} on this peer. */
    public CertificationRequest request(String address) throws Exception {
        String normalized = normalized(address);
        Optional<CertificationRequest> request = certification().request(normalized);
        return request.orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "no certification request of "
            + normalized + " is pending on this peer", null));
    }

    /** Every certification request pending on this peer. */
    public java.util.List<CertificationRequest> requests() throws Exception {
        return certification().requests();
    }

    /** Installs {@code certificate} for the pending {@code address} and finishes its account. */
    public UserCertificate complete(String address, byte[] certificate) throws Exception {
        UserCertification certification = certification();
        String normalized = normalized(address);
        Username user = Username.of(normalized);
        if (!users.contains(user)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, normalized + " is not a user of this peer", null);
        }
        UserCertificate installed;
        try {
            installed = AccountProvisioner.await(certification.install(normalized, certificate));
        } catch (AccountException e) {
            throw new Refusal(e.reason() == AccountException.Reason.NO_LOCAL_KEYS ? Refusal.Kind.CONFLICT
                : Refusal.Kind.INVALID, e.getMessage(), e);
        }
        provisioner.userAdded(user); // finds the certified keys in the vault: provisions as on a peer with the key
        certification.finish(normalized);
        LOG.info("Certified {} (certificate valid until {}): an ePOST recipient from now on", normalized,
            java.time.Instant.ofEpochMilli(installed.notAfter()));
        return installed;
    }

    private UserCertification certification() throws Refusal {
        PostServices services = post.ifRunning()
            .orElseThrow(() -> new IllegalStateException("POST accounts are not running"));
        return services.certification().orElseThrow(() -> new Refusal(Refusal.Kind.CONFLICT, "this peer holds the"
            + " user CA key: it certifies its users when they are added, with no request", null));
    }

    private static String normalized(String address) throws Refusal {
        try {
            return AccountAddress.normalize(address);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.INVALID, "not an address: " + address, e);
        }
    }
}
