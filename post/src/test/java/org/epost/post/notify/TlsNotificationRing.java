package org.epost.post.notify;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.epost.overlay.api.Message;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.testing.TlsRing;
import org.epost.overlay.wire.MessageTypes;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.epost.post.testing.TappedOverlay;

/**
 * Real overlay nodes in one JVM over TCP + TLS links (ports {@code firstPort} on), each with a certificate of one
 * test CA, PAST, Scribe, accounts and the notification service signing with its certified node key, the service
 * behind a {@link TappedOverlay} so that a test can watch what a node is sent and send through the service's own
 * endpoint (a hostile node speaking the real protocol). For the TLS ring tests of the notification roles.
 */
final class TlsNotificationRing implements AutoCloseable {
    static final long WAIT_MILLIS = RealNodes.WAIT_MILLIS;

    final List<OverlayNode> nodes;
    final List<NotificationService> services = new ArrayList<>();
    final List<AccountService> accounts = new ArrayList<>();
    final List<TappedOverlay> overlays = new ArrayList<>();
    final List<NodeCredentials> credentials;
    private final TlsRing ring;
    private final ExecutorService blockingIo = Executors.newFixedThreadPool(2);

    /** What differs from node to node: what it taps, its sink and its delegate store. */
    interface Parts {
        List<Consumer<Message>> taps(int node);

        NotificationSink sink(int node);

        DelegateStore store(int node);
    }

    /** Starts {@code count} nodes, joins them and waits until each knows all the others. */
    TlsNotificationRing(Path directory, int firstPort, int count, long storeQuotaBytes,
                        NotificationService.Settings settings, Parts parts) throws Exception {
        OrganizationUserAuthority userCa = OrganizationUserAuthority.of(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        ring = TlsRing.start(directory, firstPort, count, new TlsRing.Setup(storeQuotaBytes,
            i -> PastConfig.defaults(), () -> {
                MessageTypes types = new MessageTypes();
                NotifyMessageTypes.register(types);
                return types;
            }, userCa.publicKey(), PastryConfig.defaults()));
        nodes = ring.nodes;
        credentials = ring.credentials;
        try {
            for (int i = 0; i < count; i++) {
                addServices(i, directory, userCa, settings, parts);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        if (!ring.join().formed()) {
            close();
            throw new IllegalStateException("the ring of " + count + " did not form");
        }
    }

    /** Node {@code i}'s accounts and notification service, behind its tapped overlay. */
    private void addServices(int i, Path directory, OrganizationUserAuthority userCa,
                             NotificationService.Settings settings, Parts parts) throws Exception {
        OverlayNode node = nodes.get(i);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        AccountService account = new AccountService(new PastBlockService(node.past()),
            KeyVault.open(directory.resolve("vault" + i), secret), userCa, userCa.publicKey(), node.scheduler(),
            AccountService.Settings.defaults(), blockingIo);
        accounts.add(account);
        TappedOverlay overlay = new TappedOverlay(node.pastry(), parts.taps(i));
        overlays.add(overlay);
        NotificationSink sink = parts.sink(i);
        DelegateStore store = parts.store(i);
        NodeCredentials nodeCredentials = credentials.get(i);
        services.add(node.onNodeThread(() -> new NotificationService(overlay, node.scribe(), node.scheduler(),
            account, sink, SeenIds.inMemory(), store, settings,
            new CertifiedNodeSignatures(nodeCredentials, System::currentTimeMillis))).get(WAIT_MILLIS,
            TimeUnit.MILLISECONDS));
    }

    /** Certifies {@code address} with node {@code node} as its home, which then serves it. */
    void provision(int node, String address) throws Exception {
        OverlayNode home = nodes.get(node);
        accounts.get(node).provision(address, home.transport().localHandle()).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        home.onNodeThread(() -> {
            services.get(node).addLocalUser(address);
            services.get(node).start();
            return null;
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A counter of node {@code node}'s service, read on its node thread. */
    long counter(int node, String name) {
        try {
            return nodes.get(node).onNodeThread(() -> services.get(node).counter(name)).get(WAIT_MILLIS,
                TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    @Override
    public void close() {
        ring.close();
        blockingIo.shutdownNow();
    }
}
