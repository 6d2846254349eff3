package org.epost.post.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.InMemoryBlockStore;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeConfig;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.Simulation.SimNode;
import org.epost.overlay.sim.Simulation;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.DelegateStore;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.NotificationSink;
import org.epost.post.notify.SeenIds;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RecentParts;
import org.epost.post.testing.Seeded;

/**
 * A simulated ring (virtual time) where every node runs Pastry, PAST, Scribe, accounts, notifications, a
 * {@link MimeMessageStore} and a {@link PostSender}; each node's sink fetches the message a notification names
 * and records it, with the sender that signed it, in the node's inbox.
 */
final class DeliveryRing {
    /** A message as a home peer received it. */
    record Received(String recipient, String signedBy, byte[] message) {
    }

    record Peer(SimNode node, InMemoryBlockStore store, Past past, AccountService accounts, NotificationService notifications,
                MimeMessageStore messages, RelayAccount relay, PostSender sender, List<Received> inbox) {
    }

    final Simulation sim;
    final SimScheduler scheduler;
    final List<Peer> peers = new ArrayList<>();

    DeliveryRing(int nodes, long seed, Path directory) {
        this.sim = new Simulation(Simulation.Settings.of(nodes, seed));
        this.scheduler = sim.scheduler();
        KeyPair ca = Seeded.ed25519(seed);
        OrganizationUserAuthority authority = OrganizationUserAuthority.of(ca);
        BlockVerifier verifier = new BlockVerifier(ca.getPublic(), scheduler, BlockLimits.DEFAULT, 60_000);
        Random secrets = new Random(seed);
        sim.setNodeSetup(node -> {
            try {
                InMemoryBlockStore store = new InMemoryBlockStore(verifier, scheduler, StoreConfig.withQuota(1L << 30));
                Past past = new Past(node.node(), store, verifier, node.transport().scheduler(),
                    PastConfig.defaults().withMaintenanceIntervalMillis(5 * 60_000));
                Scribe scribe = new Scribe(node.node(), node.transport().scheduler(), ScribeConfig.defaults());
                byte[] secret = new byte[32];
                secrets.nextBytes(secret);
                Path state = directory.resolve("node-" + peers.size());
                KeyVault vault = KeyVault.open(state.resolve("vault"), secret);
                PastBlockService blocks = new PastBlockService(past);
                AccountService accounts = new AccountService(blocks, vault, authority, authority.publicKey(), scheduler,
                    AccountService.Settings.defaults(), Runnable::run);
                MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty()),
                    PartStoreConfig.defaults(), new SecureRandom(), RecentParts.defaults(scheduler)),
                    MimeMessageStore.Config.defaults());
                List<Received> inbox = new ArrayList<>();
                NotificationSink sink = (notification, sender) -> {
                    assertThat(notification.parts()).hasSize(1);
                    MessageReference reference = MessageReference.decode(notification.parts().get(0));
                    return messages.fetch(reference).thenAccept(bytes ->
                        inbox.add(new Received(notification.recipient(), sender.address(), bytes)));
                };
                NotificationService notifications = new NotificationService(node.node(), scribe,
                    node.transport().scheduler(), accounts, sink, SeenIds.file(state.resolve("seen-ids")),
                    DelegateStore.inMemory(), NotificationService.Settings.defaults(), new Random(secrets.nextLong()));
                RelayAccount relay = new RelayAccount(accounts, node.node().localHandle().id(),
                    () -> node.node().localHandle());
                RecipientDirectory directoryOfRecipients = new RecipientDirectory(domain -> domain.equals("epost.test"),
                    accounts::lookupCertificate, scheduler, 60_000, 5_000);
                PostSender sender = new PostSender(messages, notifications::send, directoryOfRecipients,
                    accounts::isProvisioned, relay::ready, scheduler,
                    new PostSender.Settings(30L * 86_400_000L, 10 * 60_000));
                peers.add(new Peer(node, store, past, accounts, notifications, messages, relay, sender, inbox));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sim.buildRing();
        assertThat(sim.awaitLeafSetsCorrect(10 * 60_000)).as("leaf sets settle").isTrue();
    }

    /** Provisions {@code address} on {@code home} and serves it there. */
    void provision(Peer home, String address) {
        await(home.accounts().provision(address, home.node().node().localHandle()));
        home.notifications().addLocalUser(address);
        scheduler.runFor(1_000);
    }

    <T> T await(CompletableFuture<T> future) {
        assertThat(scheduler.runUntil(future::isDone, scheduler.now() + 30 * 60_000))
            .as("completes within 30 virtual minutes").isTrue();
        return future.join();
    }

}
