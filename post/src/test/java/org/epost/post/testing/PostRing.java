package org.epost.post.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeConfig;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.sim.Simulation.SimNode;
import org.epost.overlay.testing.PastRing;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.notify.DelegateStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.NotificationSink;
import org.epost.post.notify.SeenIds;
import org.epost.post.notify.messages.NotifyDeliver;

/**
 * The one simulated POST ring of the tests (published in post's test-jar): a {@link PastRing} (virtual time, one seed,
 * Pastry and PAST on every node) where every node also runs Scribe, an {@link AccountService} (its own key vault on
 * disk; the PAST ring's certificate authority as the user CA) and a {@link NotificationService}. Users are added homed
 * on a node with {@link #provision}; the PAST ring's faults and block helpers are at {@link #pastRing()}.
 *
 * <p>What a node does with the notifications handed to it is its {@link Node#sink(NotificationSink) sink}; unless a
 * test sets one, the node checks that the sender who signed a notification is the one it names and records it in
 * {@link Node#inbox()}. A test that runs more on each node (a message store, a sender) passes a {@link NodeSetup},
 * called as each node is created, before the ring is built.
 *
 * <p>Nodes can crash, and {@link #restart} starts a new node on a crashed one's state directory (vault, seen ids,
 * delegated notifications), as a peer restarted on another machine would be.
 *
 * <p>The same seed gives the same node ids, user CA and vault secrets: a run replays exactly. Not thread-safe: the
 * simulation runs on the test's thread.
 */
public final class PostRing {
    /**
     * How the nodes run their notification service, how many bytes each keeps for others as a delegate, and how long
     * {@link #await} waits.
     */
    public record Options(NotificationService.Settings notifications, boolean delegatesOnDisk, long patienceMillis,
                          long delegateQuotaBytes) {
        public Options {
            Objects.requireNonNull(notifications, "notifications");
        }

        /**
         * The notification service's defaults, delegated notifications on disk (1 GiB each, a peer's default), 10
         * virtual minutes of patience.
         */
        public static Options defaults() {
            return new Options(NotificationService.Settings.defaults(), true, 10 * 60_000, 1L << 30);
        }

        public Options withNotifications(NotificationService.Settings settings) {
            return new Options(settings, delegatesOnDisk, patienceMillis, delegateQuotaBytes);
        }

        /** Delegated notifications kept in memory only (lost with the node). */
        public Options withDelegatesInMemory() {
            return new Options(notifications, false, patienceMillis, delegateQuotaBytes);
        }

        public Options withPatienceMillis(long millis) {
            return new Options(notifications, delegatesOnDisk, millis, delegateQuotaBytes);
        }

        public Options withDelegateQuotaBytes(long bytes) {
            return new Options(notifications, delegatesOnDisk, patienceMillis, bytes);
        }
    }

    /** Adds to each node as it is created (services over its blocks and accounts, its sink). */
    @FunctionalInterface
    public interface NodeSetup {
        /** @param ring the ring being built (its scheduler is set; its nodes are those created so far) */
        void setUp(PostRing ring, Node node) throws Exception;
    }

    /** One node of the ring and the POST services it runs. */
    public static final class Node {
        private final SimNode node;
        private final TamperingBlockStore store;
        private final Past past;
        private final Scribe scribe;
        private final PastBlockService blocks;
        private final AccountService accounts;
        private final Path state;
        private final byte[] secret;
        private final List<Notification> inbox = new ArrayList<>();
        private NotificationService notifications;
        private Endpoint notifyEndpoint;
        private NotificationSink sink;
        /** Shown every message the node's notification application gets, before it handles it. */
        private final List<Consumer<Message>> taps = new ArrayList<>();

        private Node(SimNode node, TamperingBlockStore store, Past past, Scribe scribe, PastBlockService blocks,
                     AccountService accounts, Path state, byte[] secret) {
            this.node = node;
            this.store = store;
            this.past = past;
            this.scribe = scribe;
            this.blocks = blocks;
            this.accounts = accounts;
            this.state = state;
            this.secret = secret;
            this.sink = (notification, sender) -> {
                if (!sender.address().equals(notification.sender())) {
                    throw new AssertionError("notification from " + notification.sender() + " signed by "
                            + sender.address());
                }
                inbox.add(notification);
                return CompletableFuture.completedFuture(null);
            };
        }

        public SimNode node() {
            return node;
        }

        public NodeHandle handle() {
            return node.node().localHandle();
        }

        public TamperingBlockStore store() {
            return store;
        }

        public Past past() {
            return past;
        }

        public Scribe scribe() {
            return scribe;
        }

        /** PAST as a {@link org.epost.post.blocks.BlockService}, the one the accounts use. */
        public PastBlockService blocks() {
            return blocks;
        }

        public AccountService accounts() {
            return accounts;
        }

        public NotificationService notifications() {
            return notifications;
        }

        /** The node's state directory: {@code vault}, {@code seen-ids}, {@code delegated}. */
        public Path state() {
            return state;
        }

        /** The notifications the default sink was handed, in order. */
        public List<Notification> inbox() {
            return inbox;
        }

        /** From now on the notifications handed to this node go to {@code sink} (instead of {@link #inbox()}). */
        public void sink(NotificationSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** Sends a raw envelope from this node's notification application to {@code home}'s, as any peer could. */
        public void sendRaw(NodeHandle home, byte[] id, String recipient, byte[] box) {
            NodeHandle self = handle();
            node.transport().scheduler().schedule(0,
                    () -> notifyEndpoint.routeDirect(home, new NotifyDeliver(id, recipient, box, self)));
        }

        /** From now on {@code tap} sees every message this node's notification application gets (a hostile node's view). */
        public void tap(Consumer<Message> tap) {
            taps.add(tap);
        }

        /** Sends any message from this node's notification application straight to {@code to}'s, as any peer could. */
        public void sendRaw(NodeHandle to, Message message) {
            node.transport().scheduler().schedule(0, () -> notifyEndpoint.routeDirect(to, message));
        }

        public boolean isCrashed() {
            return node.transport().isCrashed();
        }
    }

    private final Options options;
    private final List<Node> nodes = new ArrayList<>();
    /** Set as the first node is created. */
    private PastRing pastRing;
    private OrganizationUserAuthority authority;
    /** The nodes' keys, which sign their delegation acks. */
    private final SimNodeSignatures.Keyring keyring = new SimNodeSignatures.Keyring();
    /** When set, the next node created takes over this node's state directory and vault secret: a restart. */
    private Node restarting;

    /**
     * Builds the ring (a {@link PastRing} under {@link PastRing#testConfig()}, 1 GiB per node, its certificate
     * authority as the user CA) and waits until every leaf set is right; {@code setup} runs on each node as it is
     * created.
     */
    public PostRing(int nodeCount, long seed, Path directory, Options options, NodeSetup setup) {
        this.options = options;
        Random secrets = new Random(seed);
        new PastRing(nodeCount, seed, PastRing.testConfig(), i -> 1L << 30, (ring, simNode, past) -> {
            if (pastRing == null) {
                pastRing = ring;
                authority = OrganizationUserAuthority.of(ring.certificateAuthority());
            }
            try {
                addNode(simNode, past, secrets, directory, setup);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every node with only the ring's services, its notifications recorded in its {@link Node#inbox()}. */
    public PostRing(int nodeCount, long seed, Path directory, Options options) {
        this(nodeCount, seed, directory, options, (ring, node) -> { });
    }

    private void addNode(SimNode simNode, Past past, Random secrets, Path directory, NodeSetup setup)
            throws Exception {
        Scribe scribe = new Scribe(simNode.node(), simNode.transport().scheduler(), ScribeConfig.defaults());
        byte[] secret = new byte[32];
        secrets.nextBytes(secret);
        Path state = directory.resolve("node-" + nodes.size());
        if (restarting != null) {
            secret = restarting.secret;
            state = restarting.state;
        }
        PastBlockService blocks = new PastBlockService(past);
        AccountService accounts = new AccountService(blocks, KeyVault.open(state.resolve("vault"), secret),
                authority, authority.publicKey(), scheduler(), AccountService.Settings.defaults(), Runnable::run);
        Node node = new Node(simNode, pastRing.storeOf(past), past, scribe, blocks, accounts, state, secret);
        TappedOverlay overlay = new TappedOverlay(simNode.node(), node.taps);
        node.notifications = new NotificationService(overlay, scribe, simNode.transport().scheduler(), accounts,
                (notification, sender) -> node.sink.accept(notification, sender),
                SeenIds.file(state.resolve("seen-ids"), SeenIds.windowFor(options.notifications().holdMillis()),
                        simNode.transport().scheduler()::now),
                options.delegatesOnDisk() ? DelegateStore.directory(state.resolve("delegated"),
                        options.delegateQuotaBytes()) : DelegateStore.inMemory(options.delegateQuotaBytes()),
                options.notifications(), keyring.of(simNode.node().localHandle().id()),
                new Random(secrets.nextLong()));
        node.notifyEndpoint = overlay.endpoint();
        setup.setUp(this, node);
        nodes.add(node);
    }

    // ---------------------------------------------------------------- the ring

    /** The PAST ring underneath: its stores, faults and block helpers. */
    public PastRing pastRing() {
        return pastRing;
    }

    /** Which node key belongs to which node id (a hostile node in a test signs with it too). */
    public SimNodeSignatures.Keyring keyring() {
        return keyring;
    }

    public Simulation sim() {
        return pastRing.sim();
    }

    /** The ring's virtual-time scheduler (also its clock). */
    public SimScheduler scheduler() {
        return pastRing.scheduler();
    }

    public Options options() {
        return options;
    }

    /** Every node ever created, in creation order, crashed ones included. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    // ---------------------------------------------------------------- users

    /** Provisions {@code address} homed on {@code home}, registers it there as a local user, and lets a second pass. */
    public UserCertificate provision(Node home, String address) {
        var account = await(home.accounts().provision(address, home.handle()));
        home.notifications().addLocalUser(address);
        scheduler().runFor(1_000);
        return account.certificate();
    }

    // ---------------------------------------------------------------- faults

    public void crash(Node node) {
        if (!node.isCrashed()) {
            sim().network().crash(node.node().id());
        }
    }

    /**
     * Crashes {@code old}'s node and starts a new node (new id and address) on the same state directory, as a peer
     * restarted on another machine would be; the new node is returned, its users not yet registered.
     */
    public Node restart(Node old) {
        crash(old);
        restarting = old;
        try {
            sim().addNode();
        } finally {
            restarting = null;
        }
        return nodes.get(nodes.size() - 1);
    }

    /** The live nodes that keep notification {@code idHex} as delegates. */
    public List<Node> keepers(String idHex) {
        return nodes.stream().filter(n -> !n.isCrashed())
                .filter(n -> n.notifications().heldIds().contains(idHex)).toList();
    }

    // ---------------------------------------------------------------- time

    public long now() {
        return scheduler().now();
    }

    public void runFor(long virtualMillis) {
        scheduler().runFor(virtualMillis);
    }

    /** Runs virtual time until {@code condition} holds, at most {@code maxMillis} virtual ms; whether it did. */
    public boolean runUntil(BooleanSupplier condition, long maxMillis) {
        return scheduler().runUntil(condition, scheduler().now() + maxMillis);
    }

    /** Runs the simulation until {@code future} completes, at most {@link Options#patienceMillis()}; its value. */
    public <T> T await(CompletableFuture<T> future) {
        if (!runUntil(future::isDone, options.patienceMillis())) {
            throw new AssertionError("not done within " + options.patienceMillis() / 60_000 + " virtual minutes");
        }
        return future.join();
    }
}
