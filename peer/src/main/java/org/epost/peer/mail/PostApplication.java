package org.epost.peer.mail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.peer.overlay.PeerApplication;
import org.epost.post.accounts.OrganizationRecoveryKey;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.epost.spam.policy.DeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST as an application of this peer's overlay node: on a peer with ePOST domains it builds the {@link PostServices}
 * on the started node and completes the {@link PostReadiness} that the mailbox backend, the SMTP hooks, provisioning
 * and the lease refresh await. Without ePOST domains it only registers its message types (the node still relays
 * other peers' notifications) and starts nothing.
 */
public final class PostApplication implements PeerApplication {
    private static final Logger LOG = LoggerFactory.getLogger(PostApplication.class);

    private final EpostConfiguration configuration;
    private final MailboxManager mailboxes;
    private final MailboxSessionMapperFactory mappers;
    private final PostReadiness readiness;
    private final DeliveryPolicy policy;
    private volatile PublicKey userAuthority;
    private volatile PublicKey recoveryKey;
    private volatile NodeCredentials credentials;
    private volatile PostServices services;

    /** Without spam defences: every notified message goes to INBOX. */
    public PostApplication(EpostConfiguration configuration, MailboxManager mailboxes, PostReadiness readiness) {
        this(configuration, mailboxes, readiness, DeliveryPolicy.INBOX_ONLY);
    }

    /** Mail appended by reference only when {@code mailboxes} itself is James's store over the ePOST backend. */
    public PostApplication(EpostConfiguration configuration, MailboxManager mailboxes, PostReadiness readiness,
                           DeliveryPolicy policy) {
        this(configuration, mailboxes, null, readiness, policy);
    }

    /**
     * @param mailboxes where the mail of this peer's users is appended (James's, whatever its backend)
     * @param mappers   James's mapper factory: the ePOST backend's appends mail by reference (James hands out its
     *                  mailbox manager behind a proxy, so the factory is not found through it); null to look there
     * @param policy    INBOX or Junk for each notified message (the spam defences)
     */
    @Inject
    public PostApplication(EpostConfiguration configuration, MailboxManager mailboxes,
                           MailboxSessionMapperFactory mappers, PostReadiness readiness, DeliveryPolicy policy) {
        this.configuration = configuration;
        this.mailboxes = mailboxes;
        this.mappers = mappers;
        this.readiness = readiness;
        this.policy = policy;
    }

    @Override
    public String name() {
        return "POST";
    }

    @Override
    public void registerMessageTypes(MessageTypes types) {
        NotifyMessageTypes.register(types);
    }

    /** The organization's user CA, trusted through the node CA: it signs the users' certificate blocks. */
    @Override
    public Optional<PublicKey> certificateBlockAuthority(NodeCredentials credentials) throws IOException {
        Optional<PostSettings> post = configuration.post();
        if (post.isEmpty()) {
            return Optional.empty();
        }
        this.credentials = credentials;
        userAuthority = OrganizationUserAuthority.loadTrustedPublicKey(
            post.get().authority().resolve(OrganizationUserAuthority.PUBLIC_FILE), credentials.authority());
        // The users' keys are sealed for recovery only to a key the organization endorsed (recovery.pem is optional).
        Path recoveryPem = post.get().authority().resolve(OrganizationRecoveryKey.PUBLIC_FILE);
        if (Files.exists(recoveryPem)) {
            recoveryKey = OrganizationRecoveryKey.loadTrustedPublicKey(recoveryPem, credentials.authority());
        } else {
            LOG.warn("No {}: the keys of peer {}'s users are not sealed for recovery, and they are lost with its disk",
                recoveryPem, configuration.peerName());
        }
        return Optional.of(userAuthority);
    }

    /** The node's CA-certified credentials: a re-home request is signed with them (see {@code Rehoming}). */
    public Optional<NodeCredentials> nodeCredentials() {
        return Optional.ofNullable(credentials);
    }

    @Override
    public void start(OverlayNode node) throws Exception {
        Optional<PostSettings> post = configuration.post();
        if (post.isEmpty()) {
            LOG.info("Peer {} serves no ePOST domain: POST does not run", configuration.peerName());
            return;
        }
        if (userAuthority == null) {
            throw new IllegalStateException("POST starts on a node started without its user CA");
        }
        try {
            services = PostServices.create(node, configuration, post.get(), userAuthority, recoveryKey, mailboxes,
                mappers, credentials, policy);
        } catch (Exception e) {
            readiness.failed(e);
            throw e;
        }
        readiness.started(services);
        LOG.info("Peer {} runs POST for the ePOST domains {}", configuration.peerName(), post.get().domains());
    }

    @Override
    public void stop() {
        PostServices running = services;
        services = null;
        readiness.stopped();
        if (running != null) {
            running.close();
        }
    }
}
