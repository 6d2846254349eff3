package org.epost.overlay.net;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import javax.net.ssl.SSLException;

import org.epost.overlay.api.Lane;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.PeerCertificateVerifier;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.FrameDecoder;
import org.epost.overlay.wire.MessageDecoder;
import org.epost.overlay.wire.MessageEncoder;
import org.epost.overlay.wire.MessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The production {@link Transport}: TCP with TLS 1.3 and mutual authentication between overlay nodes, one Netty
 * pipeline per link (TLS, frame decoder, message codec, {@link LinkHandler}). Links are opened on first send and kept;
 * a link a peer opened to us is reused for sending to it. Delivery is best-effort, as the {@link Transport} contract
 * says: a peer we cannot connect to, or a link that dies with messages queued, is reported as unreachable and the
 * node's per-hop acknowledgements take it from there.
 */
public final class NettyTransport implements Transport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /**
     * Where to listen, what address to tell other nodes, the largest frame accepted or sent, how many links other
     * nodes may open to this one at once, after how long without any traffic a link is closed (reopened when
     * needed; leaf-set keep-alives keep the links that matter busy), and the shares of the inbound cap
     * ({@link InboundShares}): links per certified node, and handshakes pending per remote address.
     */
    public record Config(InetSocketAddress bind, String advertisedAddress, int maxFrameBytes, int maxInboundLinks,
                         long idleMillis, long linkBudgetBytes, int inboundLinksPerNode, int pendingPerAddress) {
        public static final int DEFAULT_MAX_INBOUND_LINKS = 1_024;
        public static final long DEFAULT_IDLE_MILLIS = 10 * 60_000L;
        /** What all links together may hold waiting for slow peers ({@link LinkBudget}). */
        public static final long DEFAULT_LINK_BUDGET_BYTES = LinkBudget.DEFAULT_BYTES;
        public static final int DEFAULT_INBOUND_LINKS_PER_NODE = InboundShares.DEFAULT_LINKS_PER_NODE;
        public static final int DEFAULT_PENDING_PER_ADDRESS = InboundShares.DEFAULT_PENDING_PER_ADDRESS;

        public Config {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(advertisedAddress, "advertisedAddress");
            if (maxInboundLinks < 1 || idleMillis < 1 || linkBudgetBytes < 1 || inboundLinksPerNode < 1
                || pendingPerAddress < 1) {
                throw new IllegalArgumentException("maxInboundLinks, idleMillis, linkBudgetBytes, inboundLinksPerNode and"
                    + " pendingPerAddress must be positive");
            }
        }

        public Config(InetSocketAddress bind, String advertisedAddress, int maxFrameBytes, int maxInboundLinks,
                      long idleMillis, long linkBudgetBytes) {
            this(bind, advertisedAddress, maxFrameBytes, maxInboundLinks, idleMillis, linkBudgetBytes,
                DEFAULT_INBOUND_LINKS_PER_NODE, DEFAULT_PENDING_PER_ADDRESS);
        }

        public Config(InetSocketAddress bind, String advertisedAddress, int maxFrameBytes, int maxInboundLinks,
                      long idleMillis) {
            this(bind, advertisedAddress, maxFrameBytes, maxInboundLinks, idleMillis, DEFAULT_LINK_BUDGET_BYTES);
        }

        public Config(InetSocketAddress bind, String advertisedAddress, int maxFrameBytes) {
            this(bind, advertisedAddress, maxFrameBytes, DEFAULT_MAX_INBOUND_LINKS, DEFAULT_IDLE_MILLIS);
        }

        /** The same, with other shares of the inbound cap. */
        public Config withInboundShares(int linksPerNode, int pendingPerRemoteAddress) {
            return new Config(bind, advertisedAddress, maxFrameBytes, maxInboundLinks, idleMillis, linkBudgetBytes,
                linksPerNode, pendingPerRemoteAddress);
        }
    }

    /** A link's socket buffer: above the high mark messages wait in the {@link Link}, bounded there. */
    static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(8 << 20, 16 << 20);
    /** How often waiting messages are checked while a link's socket buffer stays full. */
    static final long BACKLOG_CHECK_MILLIS = 1_000;

    private final NodeHandle self;
    private final EventLoopScheduler nodeThread;
    private final EventLoopGroup io;
    private final SslContext serverTls;
    private final SslContext clientTls;
    private final PeerCertificateVerifier verifier;
    private final Revocations revocations;
    private final CborMessageCodec codec;
    private final int maxFrameBytes;
    private final Config config;
    private final LinkBudget budget;
    private final InboundLinks inbound;
    private volatile MetricSink metrics = MetricSink.NONE;
    /**
     * Links by the node id their peer's certificate proved, not by the address a peer claims: a node announcing
     * someone else's address in its hello must not receive what is sent to that address's owner.
     */
    private final Map<Id, Link> links = new ConcurrentHashMap<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final Map<Link, CompletableFuture<Identity>> identifying = new ConcurrentHashMap<>();
    private volatile BooleanSupplier inRing = () -> false;
    private volatile Listener listener;
    private volatile boolean closing;
    private Channel server;

    private NettyTransport(NodeCredentials credentials, Config config, MessageTypes types, EventLoopScheduler nodeThread,
                           EventLoopGroup io) throws SSLException {
        this.self = new NodeHandle(credentials.nodeId(), config.advertisedAddress());
        this.nodeThread = nodeThread;
        this.io = io;
        this.serverTls = TlsContexts.server(credentials);
        this.clientTls = TlsContexts.client(credentials);
        this.revocations = new Revocations(credentials.authority().getPublicKey());
        this.verifier = new PeerCertificateVerifier(credentials.authority(), revocations);
        revocations.onAdopted(this::closeRevokedLinks);
        this.codec = new CborMessageCodec(types.register(Hello.TYPE, Hello.class)
            .register(LinkClosing.TYPE, LinkClosing.class));
        this.maxFrameBytes = config.maxFrameBytes();
        this.config = config;
        this.budget = new LinkBudget(config.linkBudgetBytes());
        this.inbound = new InboundLinks(config, nodeThread::execute, this::hasBacklog, () -> metrics);
    }

    /**
     * Listens on {@code config.bind()}. {@code types} must already hold every message type of the protocols running
     * on this node; {@code io} runs the sockets, {@code nodeThread} the node.
     */
    public static NettyTransport start(NodeCredentials credentials, Config config, MessageTypes types,
                                       EventLoopScheduler nodeThread, EventLoopGroup io) throws InterruptedException, SSLException {
        NettyTransport transport = new NettyTransport(credentials, config, types, nodeThread, io);
        transport.server = new ServerBootstrap()
            .group(io)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
            .childHandler(transport.pipeline(null, transport.serverTls))
            .bind(config.bind())
            .sync()
            .channel();
        LOG.info("Overlay node {} listening on {}", transport.self, transport.server.localAddress());
        return transport;
    }

    private ChannelInitializer<SocketChannel> pipeline(Link outbound, SslContext tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (outbound == null && !inbound.admit(channel)) {
                    return;
                }
                channels.add(channel);
                channel.pipeline().addLast(
                    new IdleStateHandler(0, 0, config.idleMillis(), TimeUnit.MILLISECONDS),
                    new IdleLinkCloser(),
                    tls.newHandler(channel.alloc()),
                    new FrameDecoder(maxFrameBytes),
                    new MessageDecoder(codec),
                    new MessageEncoder(codec, maxFrameBytes),
                    new LinkHandler(NettyTransport.this, verifier, outbound));
            }
        };
    }

    /** The revocation list this transport enforces on links; offer it newer lists as they are published. */
    public Revocations revocations() {
        return revocations;
    }

    /**
     * A newly revoked node keeps no link open: links were checked when they opened, so each open one is checked again
     * against the new list and closed if its peer is on it (further connections fail the handshake check).
     */
    private void closeRevokedLinks(RevocationList list) {
        for (Channel channel : channels) {
            Id peer = channel.attr(LinkHandler.PEER_ID).get();
            if (peer != null && list.revokesNode(peer)) {
                LOG.warn("Closing the overlay link with {} at {}: the node is revoked by {}", peer.toHex(),
                    channel.remoteAddress(), list);
                channel.close();
            }
        }
    }

    @Override
    public NodeHandle localHandle() {
        return self;
    }

    /** The port actually listened on (useful when bound to port 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Where refused and expired messages are counted ({@code epost.overlay.link.*}). */
    public void setMetrics(MetricSink metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void send(NodeHandle to, Object wireMessage) {
        send(to, wireMessage, Lane.INTERACTIVE);
    }

    @Override
    public void send(NodeHandle to, Object wireMessage, Lane lane) {
        if (closing) {
            return;
        }
        // a link closing for idleness (by either end) takes nothing more: what is sent now goes on a new one
        Link link = links.compute(to.id(), (id, old) -> old == null || closingIdle(old) ? connect(to) : old);
        Link.Outcome outcome = link.send(wireMessage, lane, (message, in) -> write(link, message, in), this::encodedSize,
            nowMillis());
        switch (outcome) {
            case CLOSED -> {
                links.remove(to.id(), link);
                reportUnreachable(to);
            }
            // The link is still opening and already holds its maximum: this message is dropped, the link kept.
            case QUEUE_FULL -> {
                refused(lane);
                reportUnreachable(to);
            }
            // The peer reads slower than we write (or older messages of the lane wait): the message waits its turn.
            case WAITING -> watch(link);
            // ... and so many wait already that this one is dropped, without suspecting a node alive, only slow.
            // Bulk senders (maintenance) find out by their requests' timeouts and retry at their next round.
            case BACKLOG_FULL, BUDGET_FULL -> {
                refused(lane);
                if (link.firstRefusal()) {
                    LOG.warn("Link to {} holds {} KiB waiting for the peer to read ({} KiB bulk; all links {} of {} MiB):"
                        + " dropping further {} messages until it caught up", to, link.backlogBytes() >> 10,
                        link.backlogBytes(Lane.BULK) >> 10, budget.waitingBytes() >> 20, budget.maxBytes() >> 20,
                        lane.name().toLowerCase(Locale.ROOT));
                }
            }
            default -> {
            }
        }
    }

    private static boolean closingIdle(Link link) {
        Channel channel = link.channel();
        return channel != null && IdleLinkCloser.closedIdle(channel);
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** While messages wait on {@code link}, drains it every second (expiring the old ones) until none wait. */
    private void watch(Link link) {
        if (link.startWatching()) {
            checkLater(link);
        }
    }

    private void checkLater(Link link) {
        link.channel().eventLoop().schedule(() -> {
            drain(link);
            if (!link.stopWatchingIfIdle()) {
                checkLater(link);
            }
        }, BACKLOG_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void refused(Lane lane) {
        budget.refused(lane, 1);
        metrics.count("epost.overlay.link.refused." + lane.name().toLowerCase(Locale.ROOT));
    }

    private void drain(Link link) {
        Link.Drained drained = link.drain((message, lane) -> write(link, message, lane), nowMillis());
        if (drained.expired() > 0) {
            budget.expired(drained.expired());
            metrics.count("epost.overlay.link.expired", drained.expired());
            LOG.warn("Link to {}: dropped {} messages ({} bulk, {} KiB) that waited over {} s for the peer to read"
                + " them (it reads slower than we send; their requests time out)", link.peer(), drained.expired(),
                drained.expiredBulk(), drained.expiredBytes() >> 10, Link.MAX_BACKLOG_MILLIS / 1000);
        }
    }

    /** Called by a {@link LinkHandler} when its channel's socket buffer crossed a water mark. */
    void writabilityChanged(Link outbound, Channel channel, NodeHandle peer) {
        if (!channel.isWritable()) {
            return;
        }
        Link link = outbound != null ? outbound : peer == null ? null : links.get(peer.id());
        if (link != null && link.channel() == channel) {
            drain(link);
        }
    }

    private long encodedSize(Object message) {
        return codec.encode(message).length + 5L;
    }

    /** Hands a message to the link's channel; a bulk one that reached the socket lets the next bulk one go. */
    private void write(Link link, Object message, Lane lane) {
        Channel channel = link.channel();
        channel.writeAndFlush(message).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                LOG.debug("Could not send {} to {}: {}", message.getClass().getSimpleName(), link.peer(), future.cause());
                reportUnreachable(link.peer());
            }
            if (lane == Lane.BULK && link.bulkDone()) {
                channel.eventLoop().execute(() -> drain(link));
            }
        });
    }

    /** Who answered at an address, and whether it was in a ring at that moment. */
    public record Identity(NodeHandle node, boolean inRing) {
    }

    /** Tells the hello this node sends whether it is in a ring (read on I/O threads). */
    public void setRingMembership(BooleanSupplier inRing) {
        this.inRing = inRing;
    }

    boolean inRing() {
        return inRing.getAsBoolean();
    }

    /**
     * Connects to {@code address} and answers with whichever certified node is there and whether it is in a ring: how
     * a starting node learns the id of a bootstrap node it knows only by address. The connection is closed after the
     * hello; each call asks afresh.
     */
    public CompletableFuture<Identity> identify(String address) {
        CompletableFuture<Identity> answer = new CompletableFuture<>();
        Link link = new Link(address, budget);
        identifying.put(link, answer);
        open(link);
        return answer;
    }

    private Link connect(NodeHandle to) {
        return open(new Link(to, budget));
    }

    private Link open(Link link) {
        NodeHandle to = link.peer();
        int colon = to.address().lastIndexOf(':');
        if (colon <= 0) {
            LOG.warn("Cannot connect to {}: its address is not host:port", to);
            link.close();
            failIdentification(link, new IllegalArgumentException("not host:port: " + to.address()));
            return link;
        }
        String host = to.address().substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(to.address().substring(colon + 1));
        } catch (NumberFormatException e) {
            LOG.warn("Cannot connect to {}: bad port", to);
            link.close();
            failIdentification(link, new IllegalArgumentException("bad port: " + to.address()));
            return link;
        }
        new Bootstrap()
            .group(io)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
            .handler(pipeline(link, clientTls))
            .connect(host, port)
            .addListener((ChannelFutureListener) future -> {
                if (!future.isSuccess()) {
                    LOG.debug("Cannot connect to {}: {}", to, future.cause().toString());
                    links.remove(to.id(), link);
                    link.close();
                    failIdentification(link, future.cause());
                    if (link.identityKnown()) {
                        reportUnreachable(to);
                    }
                }
            });
        return link;
    }

    /** Called by a {@link LinkHandler} once the peer's hello checked out. */
    void linkOpened(Link outbound, Channel channel, NodeHandle peer, boolean peerInRing) {
        if (outbound != null && !outbound.identityKnown()) {
            CompletableFuture<Identity> answer = identifying.remove(outbound);
            if (answer != null) {
                answer.complete(new Identity(peer, peerInRing));
            }
            outbound.close();
            channel.close();
            return;
        }
        Link link = outbound;
        if (link == null) {
            inbound.authenticated(channel, peer);
            // A peer connected to us: reuse its link for our own sends unless we already have one.
            Link inbound = new Link(peer, budget);
            link = links.putIfAbsent(peer.id(), inbound) == null ? inbound : null;
            if (link == null) {
                return;
            }
        }
        link.open(channel, peer);
        drain(link);
        if (link.backlogBytes() > 0) {
            watch(link);
        }
    }

    private void failIdentification(Link link, Throwable cause) {
        CompletableFuture<Identity> answer = identifying.remove(link);
        if (answer != null) {
            answer.completeExceptionally(cause);
        }
    }

    /** Called by a {@link LinkHandler} when its channel closed, for whatever reason. */
    void linkClosed(Link outbound, Channel channel, NodeHandle peer) {
        channels.remove(channel);
        if (outbound != null && !outbound.identityKnown()) {
            failIdentification(outbound, new java.io.IOException("link to " + outbound.peer().address() + " closed before its hello"));
        }
        NodeHandle who = outbound != null ? outbound.peer() : peer;
        if (who == null) {
            return;
        }
        Link link = links.get(who.id());
        if (link != null && (link == outbound || link.channel() == channel)) {
            links.remove(who.id(), link);
            int lost = link.close();
            if (!closing && (lost > 0 || (outbound != null && !IdleLinkCloser.closedIdle(channel)))) {
                reportUnreachable(who);
            }
        } else if (outbound != null) {
            outbound.close();
        }
    }

    /**
     * Which nodes this one's routing needs links with (its leaf set and routing table): at the inbound cap their links
     * take the place of others' ({@link InboundCap}). Called on the node thread, and {@code needed} is called there.
     */
    public void setRoutingNeeds(Predicate<Id> needed) {
        inbound.setNeeded(needed);
    }

    /** Whether messages wait to be sent on {@code channel}'s link. */
    private boolean hasBacklog(Channel channel) {
        Id peer = channel.attr(LinkHandler.PEER_ID).get();
        Link link = peer == null ? null : links.get(peer);
        return link != null && link.channel() == channel && link.backlogBytes() > 0;
    }

    /** Called by a {@link LinkHandler} for every message after the hello on a link another node opened. */
    void inboundRead(Channel channel) {
        inbound.read(channel);
    }

    /**
     * Called by a {@link LinkHandler} for every message after the hello. What came on a link the inbound cap refused
     * (decided on the node thread, before this message's turn there) is dropped with it.
     */
    void received(NodeHandle from, Object message, Channel channel) {
        Listener current = listener;
        if (current != null && !closing) {
            nodeThread.execute(() -> {
                if (!InboundLinks.refused(channel)) {
                    current.receive(from, message);
                }
            });
        }
    }

    private void reportUnreachable(NodeHandle peer) {
        Listener current = listener;
        if (current != null && !closing) {
            nodeThread.execute(() -> current.unreachable(peer));
        }
    }

    /** Encoded bytes waiting on open links for slow peers to read. */
    long waitingBytes() {
        return links.values().stream().mapToLong(Link::backlogBytes).sum();
    }

    /** What the links hold and refused now, for status pages. */
    public LinkFigures linkFigures() {
        return new LinkFigures(openLinks(), budget.waitingBytes(),
            links.values().stream().mapToLong(link -> link.backlogBytes(Lane.BULK)).sum(), budget.maxBytes(),
            budget.refused(Lane.INTERACTIVE), budget.refused(Lane.BULK), budget.expired(), inbound.refusedPending(),
            inbound.closedOverShare(), inbound.evicted(), inbound.refusedOverCap(), inbound.evictedPending());
    }

    int nodeBacklog() {
        return nodeThread.backlog();
    }

    /** How many links are open (both directions), for status pages. */
    public int openLinks() {
        return (int) links.values().stream().filter(Link::isOpen).count();
    }

    @Override
    public void close() {
        closing = true;
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (Channel channel : channels) {
            channel.close().syncUninterruptibly();
        }
        links.clear();
        LOG.info("Overlay node {} closed its links", self);
    }
}
