package org.epost.it;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.node.NodeConsole;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.CertifiedNodeSignatures;
import org.epost.post.notify.DelegateStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.SeenIds;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RecentParts;

/**
 * A hostile sender on a real ring, in the test's JVM: an overlay node with a node certificate the ring's CA issues
 * ({@code epost-admin node-credentials} on the ring's {@code DIR/ca}) joins over real TLS, and is the home of
 * {@value #MALLORY}, a real ePOST user whose certificate the ring's user CA issues and whose certificate and identity
 * block it publishes in PAST as a peer's account service does. It stores real messages in PAST (the peers' part
 * store) and sends notifications of them, signed with mallory's key and sealed to the recipient, carrying whatever
 * puzzle the test chooses: the real notification service, with the notification built by the caller.
 */
final class HostileSender implements AutoCloseable {
    static final String MALLORY = "mallory@epost.test";
    private static final long WAIT_SECONDS = 120;

    private final OverlayNode node;
    private final AccountService accounts;
    private final NotificationService notifications;
    private final MimeMessageStore messages;
    private final ExecutorService io;

    private HostileSender(OverlayNode node, AccountService accounts, NotificationService notifications,
                          MimeMessageStore messages, ExecutorService io) {
        this.node = node;
        this.accounts = accounts;
        this.notifications = notifications;
        this.messages = messages;
        this.io = io;
    }

    /** Joins the ring whose data directory is {@code ringData} through {@code bootstrap}, listening on {@code port}. */
    static HostileSender join(Path ringData, Path directory, int port, String bootstrap) throws Exception {
        Files.createDirectories(directory);
        Path ca = ringData.resolve("ca");
        Path password = directory.resolve("password");
        byte[] secret = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(secret);
        Files.writeString(password, java.util.HexFormat.of().formatHex(secret) + "\n");
        Path credentialsFile = directory.resolve("node.p12");
        Command.run(Ring.ROOT, Duration.ofMinutes(2), List.of(Ring.ROOT.resolve("deploy/bin/epost-admin").toString(),
            "node-credentials", "--ca", ca.toString(), "--ca-password-file", ca.resolve("ca.password").toString(),
            "--peer-name", "mallory-node", "--out", credentialsFile.toString(), "--password-file",
            password.toString())).assertSuccess("epost-admin node-credentials");
        NodeCredentials credentials = NodeConsole.credentials(credentialsFile.toString(), password.toString());
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(ca,
            Files.readString(ca.resolve("user-ca.password")).trim().toCharArray());

        MessageTypes types = new MessageTypes();
        NotifyMessageTypes.register(types);
        String listen = "127.0.0.1:" + port;
        OverlayNode node = OverlayNode.start(credentials, new OverlayNodeConfig(new InetSocketAddress("127.0.0.1",
            port), listen, List.of(bootstrap), PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES,
            directory.resolve("store"), StoreConfig.withQuota(256L << 20), PastConfig.defaults()), types,
            userCa.publicKey());
        ExecutorService io = Executors.newFixedThreadPool(2);
        PastBlockService blocks = new PastBlockService(node.past());
        random.nextBytes(secret);
        AccountService accounts = new AccountService(blocks, KeyVault.open(directory.resolve("vault"), secret), userCa,
            userCa.publicKey(), node.scheduler(), AccountService.Settings.defaults(), io);
        // the sink never runs: no one mails mallory
        NotificationService notifications = node.onNodeThread(() -> new NotificationService(node.pastry(),
            node.scribe(), node.scheduler(), accounts, (n, sender) -> CompletableFuture.completedFuture(null),
            SeenIds.inMemory(), DelegateStore.inMemory(1 << 20), NotificationService.Settings.defaults(),
            new CertifiedNodeSignatures(credentials, System::currentTimeMillis))).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults(), random, RecentParts.defaults(node.scheduler())),
            MimeMessageStore.Config.defaults());
        HostileSender sender = new HostileSender(node, accounts, notifications, messages, io);
        try {
            node.join();
            sender.awaitLeafSet();
            accounts.provision(MALLORY, node.transport().localHandle()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            notifications.addLocalUser(MALLORY);
            notifications.start();
            return sender;
        } catch (Exception | AssertionError e) {
            sender.close();
            throw e;
        }
    }

    /** Waits until the ring's three peers are in this node's leaf set: it has joined. */
    private void awaitLeafSet() throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
        while (node.onNodeThread(() -> node.pastry().leafSet().members().size()).get(WAIT_SECONDS, TimeUnit.SECONDS)
                < 3) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("mallory's node did not join the ring within " + WAIT_SECONDS + " s");
            }
            Thread.sleep(500);
        }
    }

    /** The certified signing key of {@code address}, as any peer finds it in PAST. */
    PublicKey signingKey(String address) throws Exception {
        return accounts.lookupCertificate(address).get(WAIT_SECONDS, TimeUnit.SECONDS).signingKey();
    }

    /** Stores a mail from mallory to {@code recipient} whose subject and body carry {@code marker}; its notification. */
    Notification store(String recipient, String marker, long date) throws Exception {
        byte[] mail = ("From: " + MALLORY + "\r\nTo: " + recipient + "\r\nSubject: " + marker
            + "\r\nMessage-ID: <" + marker + "@epost.test>\r\n\r\nbody of " + marker + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
        MessageReference reference = messages.store(mail, System.currentTimeMillis() + Duration.ofDays(30).toMillis())
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
        return Notification.create(MALLORY, recipient, marker, date, List.of(reference.encode()), reference.size());
    }

    /** Signs {@code notification} with mallory's key, seals it to its recipient and sends it to their home peer. */
    CompletableFuture<NotificationService.Outcome> send(Notification notification) {
        return notifications.send(notification);
    }

    @Override
    public void close() {
        node.close();
        io.shutdownNow();
    }
}
