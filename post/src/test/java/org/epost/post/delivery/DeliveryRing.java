package org.epost.post.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.sim.SimScheduler;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RecentParts;
import org.epost.post.testing.PostRing;

/**
 * A {@link PostRing} (delegated notifications in memory, 30 virtual minutes of patience) where every node also runs a
 * {@link MimeMessageStore} and a {@link PostSender}; each node's sink fetches the message a notification names and
 * records it, with the sender that signed it, in the node's inbox.
 */
final class DeliveryRing {
    /** A message as a home peer received it. */
    record Received(String recipient, String signedBy, byte[] message) {
    }

    /** A ring node with its message store, relay account, sender and the messages it received. */
    record Peer(PostRing.Node post, MimeMessageStore messages, RelayAccount relay, PostSender sender,
                List<Received> inbox) {
    }

    final PostRing ring;
    final SimScheduler scheduler;
    final List<Peer> peers = new ArrayList<>();

    DeliveryRing(int nodes, long seed, Path directory) {
        this.ring = new PostRing(nodes, seed, directory,
            PostRing.Options.defaults().withDelegatesInMemory().withPatienceMillis(30 * 60_000), this::setUp);
        this.scheduler = ring.scheduler();
    }

    /** Provisions {@code address} on {@code home} and serves it there. */
    void provision(Peer home, String address) {
        ring.provision(home.post(), address);
    }

    <T> T await(CompletableFuture<T> future) {
        return ring.await(future);
    }

    private void setUp(PostRing ring, PostRing.Node node) {
        MimeMessageStore messages = new MimeMessageStore(new PartStore(node.blocks(),
            new ConvergentCipher(Optional.empty()), PartStoreConfig.defaults(), new SecureRandom(),
            RecentParts.defaults(ring.scheduler())), MimeMessageStore.Config.defaults());
        List<Received> inbox = new ArrayList<>();
        node.sink((notification, sender) -> {
            assertThat(notification.parts()).hasSize(1);
            MessageReference reference = MessageReference.decode(notification.parts().get(0));
            return messages.fetch(reference).thenAccept(bytes ->
                inbox.add(new Received(notification.recipient(), sender.address(), bytes)));
        });
        RelayAccount relay = new RelayAccount(node.accounts(), node.handle().id(), node::handle);
        RecipientDirectory recipients = new RecipientDirectory(domain -> domain.equals("epost.test"),
            node.accounts()::lookupCertificate, ring.scheduler(), 60_000, 5_000);
        PostSender sender = new PostSender(messages, node.notifications()::send, recipients,
            node.accounts()::isProvisioned, relay::ready, ring.scheduler(),
            new PostSender.Settings(30L * 86_400_000L, 10 * 60_000));
        peers.add(new Peer(node, messages, relay, sender, inbox));
    }
}
