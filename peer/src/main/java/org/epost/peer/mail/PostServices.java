package org.epost.peer.mail;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.epost.mailbox.mail.MimeStructureIndexer;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.security.NodeCredentials;
import org.epost.peer.config.OverlaySettings;
import org.epost.peer.config.DeliverySettings;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertification;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.revocation.RevocationFollower;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.delivery.PostSender;
import org.epost.post.delivery.RecipientDirectory;
import org.epost.post.delivery.RelayAccount;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.CertifiedNodeSignatures;
import org.epost.post.notify.DelegateStore;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.SeenIds;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RecentParts;
import org.epost.spam.policy.DeliveryPolicy;

/**
 * The POST services of this peer, composed on its overlay node: the account service of the peer's users (keys in the
 * vault under {@code data.dir/keys}), the message store (MIME parts in PAST), the notification service (sender,
 * delegate and home roles; its seen ids and delegated notifications under {@code data.dir/notify}), the INBOX appender
 * that receives this peer's users' mail, and the {@link PostSender} the SMTP hooks and mailets send through. Created
 * by {@link PostApplication} before the node joins, so that no notification finds the application missing.
 */
public final class PostServices implements AutoCloseable {
    /** How long answers about recipients are reused: found accounts a minute, missing ones five seconds. */
    private static final long RECIPIENT_FOUND_MILLIS = 60_000;
    private static final long RECIPIENT_MISSING_MILLIS = 5_000;
    private static final long NODE_THREAD_SECONDS = 30;
    /**
     * When presence is announced again after the node is in the ring. A presence published at once may reach a new
     * group root that the delegates' Scribe tree has not re-attached to yet (that takes a heartbeat or two).
     */
    private static final long[] PRESENCE_REPEATS_MILLIS = {20_000, 60_000};

    private final AccountService accounts;
    private final PastBlockService blocks;
    private final MimeMessageStore messages;
    private final NotificationService notifications;
    private final PostSender sender;
    private final RelayAccount relay;
    /** Deliveries appended at once on a home peer: the most one INBOX log append can group. */
    private static final int INBOX_THREADS = 8;
    private final ExecutorService inboxIo;
    private final ExecutorService accountsIo;
    private final RevocationFollower revocations;
    private final Optional<UserCertification> certification;

    private PostServices(AccountService accounts, PastBlockService blocks, MimeMessageStore messages,
                         NotificationService notifications, PostSender sender, RelayAccount relay,
                         ExecutorService inboxIo, ExecutorService accountsIo, RevocationFollower revocations,
                         Optional<UserCertification> certification) {
        this.revocations = revocations;
        this.certification = certification;
        this.accounts = accounts;
        this.blocks = blocks;
        this.messages = messages;
        this.notifications = notifications;
        this.sender = sender;
        this.relay = relay;
        this.inboxIo = inboxIo;
        this.accountsIo = accountsIo;
    }

    /**
     * Builds the services on {@code node} (started, not yet joined) for the accounts of this peer.
     *
     * @param userAuthority the organization's user CA, which signs the users' certificates
     * @param recoveryKey   the organization's recovery key the users' keys are sealed to; null for none
     * @param credentials   the node's certified key, which signs its acks as a delegate
     * @param policy        INBOX or Junk for each notified message (the spam defences)
     * @param mappers       James's mapper factory (appends by reference on the ePOST backend), or null
     */
    public static PostServices create(OverlayNode node, EpostConfiguration configuration, PostSettings post,
                                      PublicKey userAuthority, PublicKey recoveryKey, MailboxManager mailboxes,
                                      MailboxSessionMapperFactory mappers, NodeCredentials credentials,
                                      DeliveryPolicy policy) throws Exception {
        ExecutorService accountsIo = Executors.newFixedThreadPool(2, new DefaultThreadFactory("epost-accounts-io", true));
        KeyVault vault = vault(configuration, post);
        Optional<OrganizationUserAuthority> issuer = post.userAuthority();
        AccountService accounts = new AccountService(new PastBlockService(node.past()), vault, issuer.orElse(null),
            userAuthority, node.scheduler(), AccountService.Settings.defaults().withLeaseMillis(
                configuration.lease().lease().toMillis()), accountsIo, recoveryKey);
        // Without the user CA key, new users wait for a certificate the admin issues offline (epost-admin certify-user).
        Optional<UserCertification> certification = issuer.isPresent() ? Optional.empty()
            : Optional.of(new UserCertification(accounts, vault, userAuthority, node.scheduler(),
                AccountService.Settings.defaults().clockSkewMillis(), accountsIo,
                configuration.dataDirectory().resolve("certification-requests")));
        DeliverySettings settings = configuration.delivery();
        PastBlockService blocks = new PastBlockService(node.past());
        // The organization's revocation list: enforced by the overlay's links and by these accounts alike.
        RevocationFollower revocations = new RevocationFollower(blocks, userAuthority, node.transport().revocations(),
            node.scheduler(), configuration.account().revocationPoll().toMillis(),
            configuration.dataDirectory().resolve("revocations.block"));
        accounts.enforce(node.transport().revocations());
        revocations.enforceSaved();
        PartStore parts = new PartStore(blocks, new ConvergentCipher(Optional.empty()), PartStoreConfig.defaults(),
            new SecureRandom(), RecentParts.defaults(node.scheduler()));
        // Skeletons carry James's MIME structure: BODYSTRUCTURE on the recipient's peer then fetches no part.
        MimeMessageStore messages = new MimeMessageStore(parts,
            MimeMessageStore.Config.defaults().withLeafThreshold(settings.partThreshold()), new MimeStructureIndexer());
        Path state = configuration.dataDirectory().resolve("notify");
        Files.createDirectories(state);
        SeenIds seen = SeenIds.groupCommitted(state.resolve("seen-ids"),
            SeenIds.windowFor(settings.notificationSettings().holdMillis()), node.scheduler()::now);
        DelegateStore delegated = DelegateStore.directory(state.resolve("delegated"),
            settings.delegateQuotaBytes());
        // Appends block on the INBOX's log append; deliveries arriving meanwhile wait in other threads and then share
        // one append (a group commit), so more threads than cores.
        ExecutorService inboxIo = Executors.newFixedThreadPool(INBOX_THREADS, new DefaultThreadFactory("epost-inbox", true));
        InboxAppender inbox = InboxAppender.of(messages, mailboxes, mappers, inboxIo, policy)
            .withMaxHeaderBytes(settings.maxHeaderBytes());
        // Delegations complete with fewer than k acks exactly when PAST inserts may (past.degraded-inserts).
        NotificationService.Settings notify = settings.notificationSettings().withDegradedQuorum(
            configuration.overlay().map(OverlaySettings::degradedInserts).orElse(false))
            .withFairness(configuration.fairness().post());
        NotificationService notifications = node.onNodeThread(() -> {
            NotificationService service = new NotificationService(node.pastry(), node.scribe(), node.scheduler(),
                accounts, inbox, seen, delegated, notify, new CertifiedNodeSignatures(credentials,
                    node.scheduler()::now));
            // Presence announced before the node is in the ring reaches no delegate: announce again once it is.
            node.pastry().whenReady(revocations::startPolling);
            node.pastry().whenReady(() -> {
                service.start();
                for (long delay : PRESENCE_REPEATS_MILLIS) {
                    node.scheduler().schedule(delay, service::start);
                }
            });
            return service;
        }).get(NODE_THREAD_SECONDS, TimeUnit.SECONDS);
        RelayAccount relay = new RelayAccount(accounts, node.transport().localHandle().id(),
            () -> node.transport().localHandle());
        RecipientDirectory recipients = new RecipientDirectory(post::isEpostDomain, accounts::lookupCertificate,
            node.scheduler(), RECIPIENT_FOUND_MILLIS, RECIPIENT_MISSING_MILLIS);
        // the spam defences attach a first-contact puzzle where the recipient does not know the sender
        PostSender sender = new PostSender(messages, policy.outgoing(notifications::send), recipients,
            address -> accounts.isProvisioned(address) && !certification.map(c -> c.pending(address)).orElse(false),
            relay::ready, node.scheduler(), new PostSender.Settings(AccountService.Settings.defaults().leaseMillis(),
            settings.deliveryTimeout().toMillis()));
        return new PostServices(accounts, blocks, messages, notifications, sender, relay, inboxIo, accountsIo,
            revocations, certification);
    }

    private static KeyVault vault(EpostConfiguration configuration, PostSettings post) throws IOException {
        try {
            return KeyVault.open(configuration.dataDirectory().resolve("keys"), post.vaultSecret());
        } catch (KeyVaultException e) {
            throw new IOException("Cannot open the key vault of peer " + configuration.peerName() + ": " + e.getMessage(), e);
        }
    }

    /** The POST accounts of this peer's users. */
    public AccountService accounts() {
        return accounts;
    }

    /** What the SMTP hooks and the mailets send mail through. */
    public PostSender sender() {
        return sender;
    }

    /** This peer's PAST, as POST's block service (the mailbox logs live there too). */
    public PastBlockService blocks() {
        return blocks;
    }

    /** Messages in PAST, as delivery and the mailbox backend read and write them. */
    public MimeMessageStore messages() {
        return messages;
    }

    public NotificationService notifications() {
        return notifications;
    }

    /**
     * Present on a peer without the user CA key: its users wait for their certificates here (pending) before they
     * are ePOST recipients.
     */
    public Optional<UserCertification> certification() {
        return certification;
    }

    /** Whether {@code address} waits here for its certificate (never on a peer with the user CA key). */
    public boolean awaitsCertificate(String address) {
        return certification.map(pending -> pending.pending(address)).orElse(false);
    }

    /** The organization's revocation list as this peer follows it (and publishes an uploaded one). */
    public RevocationFollower revocations() {
        return revocations;
    }

    public RelayAccount relay() {
        return relay;
    }

    /** {@code address} is homed here: accept its notifications and announce its presence. */
    public void serve(String address) {
        notifications.addLocalUser(address);
    }

    /** {@code address} is no longer homed here. */
    public void retire(String address) {
        notifications.removeLocalUser(address);
    }

    @Override
    public void close() {
        revocations.stop();
        inboxIo.shutdown();
        accountsIo.shutdown();
    }
}
