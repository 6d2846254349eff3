package org.epost.overlay.node;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.net.EventLoopScheduler;
import org.epost.overlay.net.NettyTransport;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastMessageTypes;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.past.store.RocksDbBlockStore;
import org.epost.overlay.pastry.PastryNode;
import org.epost.overlay.pastry.messages.PastryMessageTypes;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeConfig;
import org.epost.overlay.scribe.ScribeMessageTypes;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.time.WorkerPool;
import org.epost.overlay.wire.MessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * One overlay node on a real network: a Pastry node on its own thread, talking through the Netty TCP+TLS transport,
 * brought into the ring by the {@link Bootstrapper}, with PAST (on a RocksDB block store) and Scribe running on it.
 * Further applications (POST) register on {@link #pastry()} from the node thread ({@link #onNodeThread}) before {@link #join()}. The same PastryNode class runs in the simulator; only this wiring is
 * production-specific.
 */
public final class OverlayNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayNode.class);
    private static final int IO_THREADS = 2;

    private final OverlayNodeConfig config;
    private final EventLoopGroup io;
    private final DefaultEventLoop nodeLoop;
    private final EventLoopScheduler scheduler;
    private final WorkerPool workers;
    private final NettyTransport transport;
    private final PastryNode pastry;
    private final Bootstrapper bootstrapper;
    private final Scribe scribe;
    private final BlockStore blockStore;
    private final Past past;
    private volatile boolean inRing;

    private OverlayNode(OverlayNodeConfig config, EventLoopGroup io, DefaultEventLoop nodeLoop, EventLoopScheduler scheduler,
                        WorkerPool workers, NettyTransport transport, PastryNode pastry, Scribe scribe, BlockStore blockStore, Past past) {
        this.config = config;
        this.io = io;
        this.nodeLoop = nodeLoop;
        this.scheduler = scheduler;
        this.workers = workers;
        this.transport = transport;
        this.pastry = pastry;
        this.scribe = scribe;
        this.blockStore = blockStore;
        this.past = past;
        this.bootstrapper = new Bootstrapper(transport, scheduler, config.advertisedAddress(), config.bootstrap(), pastry::join);
        transport.setRingMembership(() -> inRing);
        // at the inbound cap, links of nodes the routing state holds take the place of strangers' links
        transport.setRoutingNeeds(new RoutingNeeds(pastry));
        // a newly revoked node leaves the routing state as the list arrives, not only once its closed links fail
        transport.revocations().onAdopted(list -> scheduler.execute(() -> pastry.forgetRevoked(list::revokesNode)));
        scheduler.execute(() -> pastry.whenReady(() -> inRing = true));
    }

    /**
     * Starts listening; the node is created but joins only once {@link #join()} is called, so that applications
     * can register first. {@code types} holds the message types of those applications; Pastry's are added here.
     */
    public static OverlayNode start(NodeCredentials credentials, OverlayNodeConfig config, MessageTypes types) throws Exception {
        // Without the organization's user CA no certificate block verifies (the node CA's key is not an Ed25519 key).
        return start(credentials, config, types, credentials.authority().getPublicKey());
    }

    /**
     * As {@link #start(NodeCredentials, OverlayNodeConfig, MessageTypes)}, with the key that signs certificate blocks
     * (the organization's user CA): PAST stores and serves only certificate blocks it signed.
     */
    public static OverlayNode start(NodeCredentials credentials, OverlayNodeConfig config, MessageTypes types,
                                    PublicKey certificateBlockAuthority) throws Exception {
        return start(credentials, config, types, certificateBlockAuthority, MetricSink.NONE);
    }

    /** As the other {@code start} methods, reporting routing and PAST figures to {@code metrics}. */
    public static OverlayNode start(NodeCredentials credentials, OverlayNodeConfig config, MessageTypes types,
                                    PublicKey certificateBlockAuthority, MetricSink metrics) throws Exception {
        PastryMessageTypes.register(types);
        ScribeMessageTypes.register(types);
        PastMessageTypes.register(types);
        EventLoopGroup io = new NioEventLoopGroup(IO_THREADS);
        DefaultEventLoop nodeLoop = new DefaultEventLoop();
        // signature checks and block hashes of PAST and POST leave the node thread (one per peer) for this pool
        WorkerPool workers = WorkerPool.forNode("epost-crypto", nodeLoop);
        EventLoopScheduler scheduler = new EventLoopScheduler(nodeLoop, workers);
        BlockVerifier verifier = new BlockVerifier(certificateBlockAuthority, scheduler, BlockLimits.DEFAULT,
            config.store().clockSkewMillis());
        BlockStore blockStore = null;
        try {
            blockStore = RocksDbBlockStore.open(config.blockStore(), verifier, scheduler, config.store());
            NettyTransport transport = NettyTransport.start(credentials,
                new NettyTransport.Config(config.listen(), config.advertisedAddress(), config.maxFrameBytes(),
                    config.inboundLinks(), NettyTransport.Config.DEFAULT_IDLE_MILLIS,
                    config.linkBudgetBytes(), config.inboundLinksPerNode(), config.pendingPerAddress()), types,
                scheduler, io);
            transport.setMetrics(metrics);
            PastryNode pastry = new PastryNode(config.pastry(), transport, scheduler, new Random(new SecureRandom().nextLong()),
                metrics);
            // Applications register before the node joins, so no message finds them missing.
            Scribe scribe = new Scribe(pastry, scheduler, ScribeConfig.defaults());
            Past past = new Past(pastry, blockStore, verifier, scheduler, config.past());
            return new OverlayNode(config, io, nodeLoop, scheduler, workers, transport, pastry, scribe, blockStore, past);
        } catch (Exception e) {
            if (blockStore != null) {
                blockStore.close();
            }
            workers.close();
            nodeLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts joining the ring (in the background; see {@link #status()} or {@link PastryNode#whenReady}). */
    public OverlayNode join() {
        bootstrapper.start();
        return this;
    }

    /** Runs {@code work} on the node's thread, where the Pastry node and its applications may be used. */
    public <T> CompletableFuture<T> onNodeThread(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The Pastry node: touch it only on the node thread. */
    public PastryNode pastry() {
        return pastry;
    }

    /** Replicated block storage on this node (insert / lookup / extendLease); callable from any thread. */
    public Past past() {
        return past;
    }

    /** Group multicast on this node (create / join / leave / publish); callable from any thread. */
    public Scribe scribe() {
        return scribe;
    }

    public EventLoopScheduler scheduler() {
        return scheduler;
    }

    public NettyTransport transport() {
        return transport;
    }

    /** Whether this node was configured with other nodes to join (and so should not stay alone). */
    public boolean joinConfigured() {
        return bootstrapper.joinConfigured();
    }

    public CompletableFuture<RingStatus> status() {
        return onNodeThread(() -> RingStatus.of(pastry.localHandle(), pastry.isReady(), pastry.leafSet(),
            config.pastry().leafSetSize(), pastry.routingTableEntries().size()));
    }

    @Override
    public void close() {
        bootstrapper.stop();
        transport.close();
        workers.close();
        nodeLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blockStore.close();
        LOG.info("Overlay node {} stopped", pastry.localHandle());
    }
}
