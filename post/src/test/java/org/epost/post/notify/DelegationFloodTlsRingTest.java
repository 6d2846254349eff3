package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.epost.post.testing.TappedOverlay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, per-sender fairness over real TCP + TLS links (ports 30500-30502): three overlay nodes in one JVM with
 * PAST, accounts and the notification service. Mallory, with a valid node certificate, floods Bob's peer (the
 * victim) with 40 delegations of 2 MiB (80 MiB, well over a node's 32 MiB per minute) sent straight over its link,
 * then Alice's peer sends Bob a notification, and later delegates one of its own to the victim. The victim keeps at most
 * Mallory's budget and refuses the rest (counted); Alice's notification reaches Bob and the victim keeps Alice's
 * delegation: one node's flood does not use up another's share.
 */
class DelegationFloodTlsRingTest {
    private static final int FIRST_PORT = 30500;
    private static final int NODES = 3;
    private static final long WAIT_MILLIS = RealNodes.WAIT_MILLIS;
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final String NOBODY = "nobody@example.org";
    private static final int FLOOD = 40;
    private static final int BOX_BYTES = 2 << 20;
    private static final NotificationService.Settings SETTINGS = new NotificationService.Settings(30_000, 30_000, 2,
        3, 60_000, 86_400_000L);

    @TempDir
    Path directory;

    private final List<OverlayNode> nodes = new ArrayList<>();
    private final List<NotificationService> services = new ArrayList<>();
    private final List<AccountService> accounts = new ArrayList<>();
    private final ExecutorService blockingIo = Executors.newFixedThreadPool(2);
    private final Set<String> deliveredToBob = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        nodes.forEach(OverlayNode::close);
        blockingIo.shutdownNow();
    }

    @Test
    void aNodeFloodingDelegationsIsHeldToItsBudgetWhileAnHonestPeersMailGoesThrough() throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        KeyPair caKeys = NodeCertificates.generateKeyPair();
        X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", now, Duration.ofDays(1));
        OrganizationUserAuthority userCa = OrganizationUserAuthority.of(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            addresses.add("127.0.0.1:" + (FIRST_PORT + i));
        }
        List<TappedOverlay> endpoints = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            KeyPair keys = NodeCertificates.generateKeyPair();
            NodeCredentials nodeCredentials = new NodeCredentials(keys.getPrivate(), NodeCertificates
                .issueNodeCertificate(caKeys, ca, keys.getPublic(), "node" + i, now, Duration.ofDays(1)), ca);
            MessageTypes types = new MessageTypes();
            NotifyMessageTypes.register(types);
            OverlayNode node = OverlayNode.start(nodeCredentials, new OverlayNodeConfig(
                new InetSocketAddress("127.0.0.1", FIRST_PORT + i), addresses.get(i), addresses, PastryConfig.defaults(),
                WireFormat.DEFAULT_MAX_FRAME_BYTES, directory.resolve("node" + i), StoreConfig.withQuota(64L << 20),
                PastConfig.defaults()), types, userCa.publicKey());
            nodes.add(node);
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            AccountService account = new AccountService(new PastBlockService(node.past()),
                KeyVault.open(directory.resolve("vault" + i), secret), userCa, userCa.publicKey(), node.scheduler(),
                AccountService.Settings.defaults(), blockingIo);
            accounts.add(account);
            // behind a tap that taps nothing: the test sends through the service's own endpoint
            TappedOverlay overlay = new TappedOverlay(node.pastry(), List.of(m -> { }));
            endpoints.add(overlay);
            boolean isBobsPeer = i == 1;
            services.add(node.onNodeThread(() -> new NotificationService(overlay,
                node.scribe(), node.scheduler(), account, (n, sender) -> {
                    if (isBobsPeer) {
                        deliveredToBob.add(n.idHex());
                    }
                    return CompletableFuture.completedFuture(null);
                }, SeenIds.inMemory(), DelegateStore.inMemory(512L << 20), SETTINGS,
                new CertifiedNodeSignatures(nodeCredentials, System::currentTimeMillis))).get(WAIT_MILLIS,
                TimeUnit.MILLISECONDS));
        }
        nodes.forEach(OverlayNode::join);
        assertThat(RealNodes.await(() -> nodes.stream()
            .allMatch(node -> RealNodes.leafSet(node).size() == NODES - 1))).as("the ring forms").isTrue();
        OverlayNode alicePeer = nodes.get(0);
        OverlayNode bobPeer = nodes.get(1);
        OverlayNode mallory = nodes.get(2);
        provision(0, ALICE);
        provision(1, BOB);
        NotificationService victim = services.get(1);

        NodeHandle victimHandle = bobPeer.transport().localHandle();
        NodeHandle malloryHandle = mallory.transport().localHandle();
        Random random = new Random(15);
        mallory.onNodeThread(() -> {
            for (int i = 0; i < FLOOD; i++) {
                endpoints.get(2).endpoint().routeDirect(victimHandle, delegation(random, malloryHandle, BOX_BYTES));
            }
            return null;
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);

        Notification toBob = Notification.create(ALICE, BOB, "during the flood", System.currentTimeMillis(),
            List.of(new byte[4096]), 4096);
        NotificationService alice = services.get(0);
        CompletableFuture<NotificationService.Outcome> send = alicePeer.onNodeThread(() -> alice.send(toBob))
            .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(RealNodes.await(() -> deliveredToBob.contains(toBob.idHex())))
            .as("alice's notification reached bob's peer during the flood").isTrue();
        assertThat(send.get(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(NotificationService.Outcome.DELIVERED);
        assertThat(RealNodes.await(() -> counter(bobPeer, victim, "kept")
            + counter(bobPeer, victim, "rejected.delegation-budget") >= FLOOD))
            .as("the victim took in all of mallory's delegations").isTrue();

        long refused = counter(bobPeer, victim, "rejected.delegation-budget");
        long kept = counter(bobPeer, victim, "kept");
        // a minute's budget (32 MiB: 16 boxes) at once, plus what refills while the flood comes in
        assertThat(refused).as("mallory's delegations over its budget were refused").isPositive();
        assertThat(kept).isLessThan(FLOOD);
        assertThat(kept + refused).isEqualTo(FLOOD);

        // alice's peer's own delegation (straight over its link, as a root's copy would come) is still kept
        NodeHandle aliceHandle = alicePeer.transport().localHandle();
        alicePeer.onNodeThread(() -> {
            endpoints.get(0).endpoint().routeDirect(victimHandle, delegation(random, aliceHandle, 8192));
            return null;
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(RealNodes.await(() -> counter(bobPeer, victim, "kept") == kept + 1))
            .as("alice's peer's delegation kept despite mallory's flood").isTrue();
        assertThat(counter(bobPeer, victim, "rejected.delegation-budget")).isEqualTo(refused);
    }

    /**
     * A delegation of a random box for a user without a certificate, to keep as the root of a random key: kept (and
     * counted) first, then dropped once the lookup finds no certificate, so that the flood costs the ring no more.
     */
    private static NotifyDelegate delegation(Random random, NodeHandle origin, int boxBytes) {
        byte[] id = new byte[Notification.ID_BYTES];
        random.nextBytes(id);
        byte[] box = new byte[boxBytes];
        random.nextBytes(box);
        return new NotifyDelegate(Id.random(random), id, NOBODY, box, origin, false);
    }

    /** A counter of the service, read on its node thread. */
    private static long counter(OverlayNode node, NotificationService service, String name) {
        try {
            return node.onNodeThread(() -> service.counter(name)).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    private void provision(int node, String address) throws Exception {
        OverlayNode home = nodes.get(node);
        accounts.get(node).provision(address, home.transport().localHandle()).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        home.onNodeThread(() -> {
            services.get(node).addLocalUser(address);
            services.get(node).start();
            return null;
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
