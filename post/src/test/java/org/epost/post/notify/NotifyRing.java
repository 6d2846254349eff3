package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.InMemoryBlockStore;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeConfig;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.sim.Simulation.SimNode;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.testing.Seeded;

/**
 * A simulated ring (virtual time, one seed) where every node runs Pastry, PAST (in-memory store), Scribe, an
 * {@link AccountService} (own key vault, the ring's user CA) and a {@link NotificationService} whose sink records
 * what it is handed.
 */
final class NotifyRing {
    /** One peer of the ring. */
    record Peer(SimNode node, Past past, Scribe scribe, AccountService accounts, NotificationService service,
                List<Notification> inbox, Path state, byte[] secret, Endpoint notifyEndpoint) {

        /** Sends a raw envelope from this peer's notification application to {@code home}'s, as any peer could. */
        void sendRaw(NodeHandle home, byte[] id, String recipient, byte[] box) {
            NodeHandle self = node.node().localHandle();
            node.transport().scheduler().schedule(0,
                    () -> notifyEndpoint.routeDirect(home, new NotifyDeliver(id, recipient, box, self)));
        }
    }

    final Simulation sim;
    final SimScheduler scheduler;
    final List<Peer> peers = new ArrayList<>();
    /** When set, the next node created takes over this peer's state directory (vault, seen ids): a restart. */
    private Peer restarting;

    NotifyRing(int nodes, long seed, Path directory, NotificationService.Settings settings) {
        this.sim = new Simulation(Simulation.Settings.of(nodes, seed));
        this.scheduler = sim.scheduler();
        KeyPair ca = Seeded.ed25519(seed);
        OrganizationUserAuthority authority = OrganizationUserAuthority.of(ca);
        BlockVerifier verifier = new BlockVerifier(ca.getPublic(), scheduler, BlockLimits.DEFAULT, 60_000);
        Random secrets = new Random(seed);
        sim.setNodeSetup(node -> {
            try {
                InMemoryBlockStore store = new InMemoryBlockStore(verifier, scheduler,
                        StoreConfig.withQuota(1L << 30));
                Past past = new Past(node.node(), store, verifier, node.transport().scheduler(),
                        PastConfig.defaults().withMaintenanceIntervalMillis(5 * 60_000));
                Scribe scribe = new Scribe(node.node(), node.transport().scheduler(), ScribeConfig.defaults());
                byte[] secret = new byte[32];
                secrets.nextBytes(secret);
                Path state = directory.resolve("node-" + peers.size());
                if (restarting != null) {
                    secret = restarting.secret();
                    state = restarting.state();
                }
                KeyVault vault = KeyVault.open(state.resolve("vault"), secret);
                AccountService accounts = new AccountService(new PastBlockService(past), vault, authority,
                        authority.publicKey(), scheduler, AccountService.Settings.defaults(), Runnable::run);
                List<Notification> inbox = new ArrayList<>();
                NotificationSink sink = (notification, sender) -> {
                    assertThat(sender.address()).isEqualTo(notification.sender());
                    inbox.add(notification);
                    return CompletableFuture.completedFuture(null);
                };
                CapturingOverlay overlay = new CapturingOverlay(node.node());
                NotificationService service = new NotificationService(overlay, scribe,
                        node.transport().scheduler(), accounts, sink, SeenIds.file(state.resolve("seen-ids")),
                        DelegateStore.directory(state.resolve("delegated")), settings,
                        new Random(secrets.nextLong()));
                peers.add(new Peer(node, past, scribe, accounts, service, inbox, state, secret, overlay.endpoint));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sim.buildRing();
        assertThat(sim.awaitLeafSetsCorrect(10 * 60_000)).as("leaf sets settle").isTrue();
    }

    void crash(Peer peer) {
        if (!peer.node().transport().isCrashed()) {
            sim.network().crash(peer.node().id());
        }
    }

    /**
     * Crashes {@code old}'s node and starts a new node (new id and address) on the same state directory, as a peer
     * restarted on another machine would be; the new peer is returned, its users not yet registered.
     */
    Peer restart(Peer old) {
        crash(old);
        restarting = old;
        try {
            sim.addNode();
        } finally {
            restarting = null;
        }
        return peers.get(peers.size() - 1);
    }

    /** Provisions {@code address} on {@code home} and registers it there as a local user. */
    UserCertificate provision(Peer home, String address) {
        var account = await(home.accounts().provision(address, home.node().node().localHandle()));
        home.service().addLocalUser(address);
        scheduler.runFor(1_000);
        return account.certificate();
    }

    <T> T await(CompletableFuture<T> future) {
        assertThat(scheduler.runUntil(future::isDone, scheduler.now() + 10 * 60_000))
                .as("completes within 10 virtual minutes").isTrue();
        return future.join();
    }

    /** Runs virtual time until {@code condition} holds, at most {@code maxMillis} virtual ms; whether it did. */
    boolean runUntil(BooleanSupplier condition, long maxMillis) {
        return scheduler.runUntil(condition, scheduler.now() + maxMillis);
    }

    /** The live peers that keep notification {@code idHex} as delegates. */
    List<Peer> keepers(String idHex) {
        return peers.stream().filter(p -> !p.node().transport().isCrashed())
                .filter(p -> p.service().heldIds().contains(idHex)).toList();
    }

    /** The node, remembering the endpoint the notification service registers, for the tests to send with. */
    private static final class CapturingOverlay implements Overlay {
        private final Overlay node;
        Endpoint endpoint;

        CapturingOverlay(Overlay node) {
            this.node = node;
        }

        @Override
        public Endpoint registerApplication(String name, Application app) {
            endpoint = node.registerApplication(name, app);
            return endpoint;
        }

        @Override
        public NodeHandle localHandle() {
            return node.localHandle();
        }

        @Override
        public boolean isReady() {
            return node.isReady();
        }
    }
}
