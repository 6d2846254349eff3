package org.epost.peer.overlay;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.lifecycle.api.Startable;
import org.apache.james.mailbox.MailboxManager;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.peer.EpostConfiguration;
import org.epost.peer.post.PostDelivery;
import org.epost.peer.post.PostSettings;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's overlay node (Pastry, PAST, Scribe), started with James and stopped with it, and on top of it the POST
 * account service of the peer's users and the mail delivery through POST ({@link PostDelivery}). Absent when
 * {@code overlay.enabled} is false.
 */
public class OverlayService implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayService.class);
    private static final long STATUS_TIMEOUT_SECONDS = 10;

    private final EpostConfiguration configuration;
    private volatile OverlayNode node;
    private final MailboxManager mailboxes;
    private volatile AccountService accounts;
    private volatile PostDelivery delivery;
    private ExecutorService blockingIo;

    /** @param mailboxes where the mail of this peer's users is appended (James's, whatever its backend) */
    @Inject
    public OverlayService(EpostConfiguration configuration, MailboxManager mailboxes) {
        this.configuration = configuration;
        this.mailboxes = mailboxes;
    }

    /** Starts the node and begins joining; a node that cannot start (no credentials, port in use) stops James. */
    public void start() throws Exception {
        Optional<OverlaySettings> settings = configuration.overlay();
        if (settings.isEmpty()) {
            LOG.info("overlay.enabled is not set: peer {} runs without the ePOST overlay", configuration.peerName());
            return;
        }
        OverlaySettings overlay = settings.get();
        NodeCredentials credentials;
        try {
            credentials = NodeCredentials.load(overlay.credentials(), overlay.credentialsPassword());
        } catch (IOException e) {
            throw new IOException("Cannot load the overlay node credentials of peer " + configuration.peerName() + " from "
                + overlay.credentials() + " (create them with EpostAdmin node-credentials): " + e.getMessage(), e);
        }
        OverlayNodeConfig nodeConfig = new OverlayNodeConfig(overlay.listen(), overlay.address(), overlay.bootstrap(),
            PastryConfig.defaults().withLeafSetSize(overlay.leafSetSize()), WireFormat.DEFAULT_MAX_FRAME_BYTES,
            configuration.dataDirectory().resolve("blocks"), overlay.storeConfig(), overlay.pastConfig());
        Optional<PostSettings> post = configuration.post();
        PublicKey userAuthority = post.isPresent()
            ? OrganizationUserAuthority.loadTrustedPublicKey(post.get().authority().resolve(OrganizationUserAuthority.PUBLIC_FILE),
                credentials.authority())
            : credentials.authority().getPublicKey();
        OverlayNode started = OverlayNode.start(credentials, nodeConfig, NotifyMessageTypes.register(new MessageTypes()),
            userAuthority);
        if (post.isPresent()) {
            accounts = accounts(started, post.get(), userAuthority);
            delivery = PostDelivery.create(started, accounts, configuration, post.get(), mailboxes);
        }
        node = started.join();
        LOG.info("Peer {} runs overlay node {} (bootstrap {}, ePOST domains {})", configuration.peerName(),
            credentials.nodeId().toHex(), overlay.bootstrap(), post.map(PostSettings::domains).orElse(java.util.Set.of()));
    }

    private AccountService accounts(OverlayNode started, PostSettings post, PublicKey userAuthority) throws IOException {
        OrganizationUserAuthority issuer = OrganizationUserAuthority.load(post.authority(), post.authorityPassword());
        KeyVault vault;
        try {
            vault = KeyVault.open(configuration.dataDirectory().resolve("keys"), post.vaultSecret());
        } catch (KeyVaultException e) {
            throw new IOException("Cannot open the key vault of peer " + configuration.peerName() + ": " + e.getMessage(), e);
        }
        blockingIo = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "epost-accounts-io");
            thread.setDaemon(true);
            return thread;
        });
        return new AccountService(new PastBlockService(started.past()), vault, issuer, userAuthority, started.scheduler(),
            AccountService.Settings.defaults().withLeaseMillis(configuration.lease().lease().toMillis()), blockingIo);
    }

    /** The POST accounts of this peer's users; empty without ePOST domains. */
    public Optional<AccountService> accounts() {
        return Optional.ofNullable(accounts);
    }

    /** Mail delivery through POST; empty without ePOST domains or before the node starts. */
    public Optional<PostDelivery> delivery() {
        return Optional.ofNullable(delivery);
    }

    public Optional<OverlayNode> node() {
        return Optional.ofNullable(node);
    }

    /** What the node knows of the ring now; empty without an overlay. */
    public Optional<RingStatus> status() throws Exception {
        OverlayNode current = node;
        if (current == null) {
            return Optional.empty();
        }
        return Optional.of(current.status().get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @PreDestroy
    public void stop() {
        OverlayNode current = node;
        accounts = null;
        PostDelivery deliveryToClose = delivery;
        delivery = null;
        if (deliveryToClose != null) {
            deliveryToClose.close();
        }
        if (current != null) {
            node = null;
            current.close();
        }
        if (blockingIo != null) {
            blockingIo.shutdown();
        }
    }
}
