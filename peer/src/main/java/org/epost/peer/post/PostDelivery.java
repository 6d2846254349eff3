package org.epost.peer.post;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.james.mailbox.MailboxManager;
import org.epost.mailbox.mail.MimeStructureIndexer;
import org.epost.overlay.node.OverlayNode;
import org.epost.peer.EpostConfiguration;
import org.epost.post.accounts.AccountService;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.delivery.DeliveryAgent;
import org.epost.post.delivery.RecipientDirectory;
import org.epost.post.delivery.RelayAccount;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.DelegateStore;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.SeenIds;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RecentParts;

/**
 * The peer's mail delivery through POST, composed on its overlay node: the message store (MIME parts in PAST), the
 * notification service (sender, delegate and home roles; its seen ids and delegated notifications under
 * {@code data.dir/notify}), the INBOX appender that receives this peer's users' mail, and the delivery agent the SMTP
 * hooks and mailets use. Created before the node joins, so that no notification finds the application missing.
 */
public final class PostDelivery implements AutoCloseable {
    /** How long answers about recipients are reused: found accounts a minute, missing ones five seconds. */
    private static final long RECIPIENT_FOUND_MILLIS = 60_000;
    private static final long RECIPIENT_MISSING_MILLIS = 5_000;
    private static final long NODE_THREAD_SECONDS = 30;
    /**
     * When presence is announced again after the node is in the ring. A presence published at once may reach a new
     * group root that the delegates' Scribe tree has not re-attached to yet (that takes a heartbeat or two).
     */
    private static final long[] PRESENCE_REPEATS_MILLIS = {20_000, 60_000};

    private final PastBlockService blocks;
    private final MimeMessageStore messages;
    private final NotificationService notifications;
    private final DeliveryAgent agent;
    private final RelayAccount relay;
    private final ExecutorService inboxIo;

    private PostDelivery(PastBlockService blocks, MimeMessageStore messages, NotificationService notifications,
                         DeliveryAgent agent, RelayAccount relay, ExecutorService inboxIo) {
        this.blocks = blocks;
        this.messages = messages;
        this.notifications = notifications;
        this.agent = agent;
        this.relay = relay;
        this.inboxIo = inboxIo;
    }

    /** Builds the delivery services on {@code node} (started, not yet joined) for the accounts of this peer. */
    public static PostDelivery create(OverlayNode node, AccountService accounts, EpostConfiguration configuration,
                                      PostSettings post, MailboxManager mailboxes) throws Exception {
        DeliverySettings settings = configuration.delivery();
        PastBlockService blocks = new PastBlockService(node.past());
        PartStore parts = new PartStore(blocks, new ConvergentCipher(Optional.empty()), PartStoreConfig.defaults(),
            new SecureRandom(), RecentParts.defaults(node.scheduler()));
        // Skeletons carry James's MIME structure: BODYSTRUCTURE on the recipient's peer then fetches no part.
        MimeMessageStore messages = new MimeMessageStore(parts,
            MimeMessageStore.Config.defaults().withLeafThreshold(settings.partThreshold()), new MimeStructureIndexer());
        Path state = configuration.dataDirectory().resolve("notify");
        Files.createDirectories(state);
        SeenIds seen = SeenIds.file(state.resolve("seen-ids"));
        DelegateStore delegated = DelegateStore.directory(state.resolve("delegated"));
        ExecutorService inboxIo = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "epost-inbox");
            thread.setDaemon(true);
            return thread;
        });
        InboxAppender inbox = new InboxAppender(messages, mailboxes, inboxIo);
        NotificationService notifications = node.onNodeThread(() -> {
            NotificationService service = new NotificationService(node.pastry(), node.scribe(), node.scheduler(),
                accounts, inbox, seen, delegated, settings.notificationSettings());
            // Presence announced before the node is in the ring reaches no delegate: announce again once it is.
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
        DeliveryAgent agent = new DeliveryAgent(messages, notifications::send, recipients, accounts::isProvisioned,
            relay::ready, node.scheduler(), new DeliveryAgent.Settings(AccountService.Settings.defaults().leaseMillis(),
            settings.deliveryTimeout().toMillis()));
        return new PostDelivery(blocks, messages, notifications, agent, relay, inboxIo);
    }

    /** What SMTP and the mailets deliver through. */
    public DeliveryAgent agent() {
        return agent;
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
        inboxIo.shutdown();
    }
}
