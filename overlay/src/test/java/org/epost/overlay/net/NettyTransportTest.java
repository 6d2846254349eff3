package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/** Real TCP + TLS 1.3 links on loopback between overlay transports, and the attacks they must turn away. */
class NettyTransportTest {
    record Note(String text) implements Message {
    }

    record Envelope(Id key, Message payload) {
    }

    private static final Instant NOW = Instant.now().minusSeconds(60);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final KeyPair caKeys = NodeCertificates.generateKeyPair();
    private final X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", NOW, DAY);
    private final EventLoopGroup io = new NioEventLoopGroup(2);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ListAppender<ILoggingEvent> linkLog = new ListAppender<>();

    private static MessageTypes types() {
        return new MessageTypes().register("test.note", Note.class).register("test.envelope", Envelope.class);
    }

    /** A running transport with what it received and whom it found unreachable. */
    private final class Node {
        final NodeCredentials credentials;
        final NettyTransport transport;
        final BlockingQueue<Object[]> received = new LinkedBlockingQueue<>();
        final BlockingQueue<NodeHandle> unreachable = new LinkedBlockingQueue<>();

        Node(NodeCredentials credentials) throws Exception {
            this(credentials, "127.0.0.1:0");
        }

        /** A node whose hello announces {@code advertised} as its address (a hostile one may claim another's). */
        Node(NodeCredentials credentials, String advertised) throws Exception {
            this(credentials, new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0), advertised,
                WireFormat.DEFAULT_MAX_FRAME_BYTES));
        }

        Node(NodeCredentials credentials, NettyTransport.Config config) throws Exception {
            this.credentials = credentials;
            DefaultEventLoop nodeThread = new DefaultEventLoop();
            toClose.add(() -> nodeThread.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
            this.transport = NettyTransport.start(credentials, config, types(), new EventLoopScheduler(nodeThread), io);
            toClose.add(transport);
            transport.setListener(new Transport.Listener() {
                @Override
                public void receive(NodeHandle from, Object message) {
                    received.add(new Object[] {from, message});
                }

                @Override
                public void unreachable(NodeHandle peer) {
                    unreachable.add(peer);
                }
            });
        }

        NodeHandle handle() {
            return new NodeHandle(credentials.nodeId(), "127.0.0.1:" + transport.port());
        }

        Object[] nextReceived() throws InterruptedException {
            return received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private NodeCredentials credentials(KeyPair authorityKeys, X509Certificate authority, String name) {
        KeyPair keys = NodeCertificates.generateKeyPair();
        return new NodeCredentials(keys.getPrivate(),
            NodeCertificates.issueNodeCertificate(authorityKeys, authority, keys.getPublic(), name, NOW, DAY), authority);
    }

    private Node node(String name) throws Exception {
        return new Node(credentials(caKeys, ca, name));
    }

    @BeforeEach
    void captureLinkLog() {
        linkLog.start();
        ((Logger) LoggerFactory.getLogger(LinkHandler.class)).addAppender(linkLog);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(LinkHandler.class)).detachAppender(linkLog);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private List<String> warnings() {
        return linkLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void messagesFlowBothWaysBetweenAuthenticatedNodes() throws Exception {
        Node a = node("a");
        Node b = node("b");

        a.transport.send(b.handle(), new Note("hello b"));
        Object[] atB = b.nextReceived();
        NodeHandle from = (NodeHandle) atB[0];
        b.transport.send(from, new Note("hello a"));
        Object[] atA = a.nextReceived();

        assertThat(atB[1]).isEqualTo(new Note("hello b"));
        assertThat(from.id()).isEqualTo(a.credentials.nodeId());
        assertThat(atA[1]).isEqualTo(new Note("hello a"));
        assertThat(((NodeHandle) atA[0]).id()).isEqualTo(b.credentials.nodeId());
    }

    @Test
    void aCertifiedPeerAnnouncingAnotherNodesAddressDoesNotReceiveWhatIsSentToThatNode() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node mallory = new Node(credentials(caKeys, ca, "mallory"), b.handle().address());

        // mallory connects first, claiming b's address in its hello
        mallory.transport.send(a.handle(), new Note("hello, I am at " + b.handle().address()));
        assertThat(a.nextReceived()[1]).isEqualTo(new Note("hello, I am at " + b.handle().address()));
        a.transport.send(b.handle(), new Note("for b only"));

        Object[] atB = b.nextReceived();
        assertThat(atB).isNotNull();
        assertThat(atB[1]).isEqualTo(new Note("for b only"));
        assertThat(mallory.received.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void anIdleLinkIsClosedAndReopenedWhenNeeded() throws Exception {
        NettyTransport.Config quick = new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:0",
            WireFormat.DEFAULT_MAX_FRAME_BYTES, 16, 300);
        Node a = new Node(credentials(caKeys, ca, "a"), quick);
        Node b = new Node(credentials(caKeys, ca, "b"), quick);

        a.transport.send(b.handle(), new Note("first"));
        assertThat(b.nextReceived()[1]).isEqualTo(new Note("first"));
        for (int i = 0; i < 200 && (a.transport.openLinks() > 0 || b.transport.openLinks() > 0); i++) {
            Thread.sleep(50);
        }
        assertThat(a.transport.openLinks()).as("a's links after the idle time").isZero();
        assertThat(b.transport.openLinks()).as("b's links after the idle time").isZero();

        a.transport.send(b.handle(), new Note("second"));
        assertThat(b.nextReceived()[1]).isEqualTo(new Note("second"));
        // whichever side's idle timer fired first, its "closing: idle" told the other the close was no failure
        assertThat(a.unreachable).as("a quiet peer is not an unreachable one").isEmpty();
        assertThat(b.unreachable).as("a quiet peer is not an unreachable one").isEmpty();
    }

    @Test
    void theFarEndOfAnIdleCloseForgetsTheLinkWithoutReportingThePeer() throws Exception {
        Node a = new Node(credentials(caKeys, ca, "a"), new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0),
            "127.0.0.1:0", WireFormat.DEFAULT_MAX_FRAME_BYTES, 16, 600_000));
        Node b = new Node(credentials(caKeys, ca, "b"), new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0),
            "127.0.0.1:0", WireFormat.DEFAULT_MAX_FRAME_BYTES, 16, 300));

        a.transport.send(b.handle(), new Note("first"));
        assertThat(b.nextReceived()[1]).isEqualTo(new Note("first"));
        for (int i = 0; i < 200 && a.transport.openLinks() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(a.transport.openLinks()).as("a's link, closed by b's idle timer").isZero();
        b.transport.send(a.handle(), new Note("back"));

        // a's node thread saw the close before this message: a report of b would be queued already
        assertThat(a.nextReceived()[1]).isEqualTo(new Note("back"));
        assertThat(a.unreachable).as("b only closed a quiet link").isEmpty();
    }

    @Test
    void aPeerThatStopsWithoutAnIdleCloseIsReported() throws Exception {
        Node a = node("a");
        Node b = node("b");
        a.transport.send(b.handle(), new Note("first"));
        assertThat(b.nextReceived()[1]).isEqualTo(new Note("first"));

        b.transport.close();

        assertThat(a.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(NodeHandle::id)
            .isEqualTo(b.handle().id());
    }

    @Test
    void aClosingForAnUnknownReasonIsLoggedAndClosesNothing() throws Exception {
        Node a = node("a");
        Node b = node("b");

        a.transport.send(b.handle(), new LinkClosing("moving house"));
        a.transport.send(b.handle(), new Note("after"));

        assertThat(b.nextReceived()[1]).as("the link stays open, the closing is not passed on")
            .isEqualTo(new Note("after"));
        assertThat(warnings()).anyMatch(line -> line.contains("closing for an unknown reason")
            && line.contains("moving house"));
    }

    @Test
    void linksFromOtherNodesBeyondTheCapAreRefused() throws Exception {
        Node b = new Node(credentials(caKeys, ca, "b"), new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0),
            "127.0.0.1:0", WireFormat.DEFAULT_MAX_FRAME_BYTES, 1, NettyTransport.Config.DEFAULT_IDLE_MILLIS));
        Node a = node("a");
        Node c = node("c");

        a.transport.send(b.handle(), new Note("from a"));
        assertThat(b.nextReceived()[1]).isEqualTo(new Note("from a"));
        c.transport.send(b.handle(), new Note("from c"));

        // c's link is closed after its hello (c is not a node b's routing needs): c learns b as b's hello named it
        assertThat(c.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(NodeHandle::id)
            .isEqualTo(b.handle().id());
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(b.transport.linkFigures().refusedOverCap()).isEqualTo(1);
    }

    @Test
    void applicationPayloadsKeepTheirTypeInsideOverlayMessages() throws Exception {
        Node a = node("a");
        Node b = node("b");

        a.transport.send(b.handle(), new Envelope(Id.hash("key"), new Note("inside")));

        assertThat(b.nextReceived()[1]).isEqualTo(new Envelope(Id.hash("key"), new Note("inside")));
    }

    @Test
    void aNodeCertifiedByAnotherAuthorityIsRefused() throws Exception {
        Node b = node("b");
        KeyPair otherCaKeys = NodeCertificates.generateKeyPair();
        X509Certificate otherCa = NodeCertificates.createAuthority(otherCaKeys, "Other Org", NOW, DAY);
        Node intruder = new Node(credentials(otherCaKeys, otherCa, "intruder"));

        intruder.transport.send(b.handle(), new Note("let me in"));

        assertThat(intruder.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(b.handle());
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aPeerAnsweringWithAnotherIdThanTheOneWeMeantIsRefused() throws Exception {
        Node a = node("a");
        Node b = node("b");
        NodeHandle impostorOfB = new NodeHandle(Id.hash("someone else"), b.handle().address());

        a.transport.send(impostorOfB, new Note("for someone else"));

        assertThat(a.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(impostorOfB);
        assertThat(warnings()).anyMatch(w -> w.contains("but we connected to reach"));
    }

    @Test
    void aCertifiedPeerClaimingAnotherNodesIdIsRefused() throws Exception {
        Node b = node("b");
        NodeCredentials mallory = credentials(caKeys, ca, "mallory");
        Channel channel = rawTlsClient(b, mallory);

        channel.writeAndFlush(new Hello(new NodeHandle(Id.hash("victim"), "127.0.0.1:1"), true));
        channel.writeAndFlush(new Note("as the victim"));

        assertThat(channel.closeFuture().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(warnings()).anyMatch(w -> w.contains("claims node id"));
    }

    @Test
    void aMessageBeforeTheHelloEndsTheLink() throws Exception {
        Node b = node("b");
        Channel channel = rawTlsClient(b, credentials(caKeys, ca, "rude"));

        channel.writeAndFlush(new Note("no hello"));

        assertThat(channel.closeFuture().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(warnings()).anyMatch(w -> w.contains("before its hello"));
    }

    @Test
    void anOversizedFrameEndsTheLinkWithoutBeingBuffered() throws Exception {
        Node b = node("b");
        NodeCredentials sender = credentials(caKeys, ca, "big");
        Channel channel = rawTlsClient(b, sender);
        channel.writeAndFlush(new Hello(new NodeHandle(sender.nodeId(), "127.0.0.1:1"), true));

        channel.writeAndFlush(Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeByte(WireFormat.VERSION));

        assertThat(channel.closeFuture().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(warnings()).anyMatch(w -> w.contains("Dropping overlay link") && w.contains("TooLongFrame"));
        assertThat(warnings()).allMatch(w -> w.length() < 500);
    }

    @Test
    void garbageOnTheSocketEndsThatConnectionAndNothingElse() throws Exception {
        Node a = node("a");
        Node b = node("b");
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);

        try (Socket socket = new Socket("127.0.0.1", b.transport.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(garbage);
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // drain until the server closes
            }
        }
        a.transport.send(b.handle(), new Note("still working"));

        assertThat(b.nextReceived()[1]).isEqualTo(new Note("still working"));
        assertThat(warnings()).anyMatch(w -> w.contains("TLS handshake failed") || w.contains("Dropping overlay link"));
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws Exception {
        Node b = node("b");
        SslContext anonymous = SslContextBuilder.forClient().trustManager(ca).protocols("TLSv1.3").sslProvider(SslProvider.JDK).build();
        Channel channel = new Bootstrap().group(io).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(anonymous.newHandler(ch.alloc()), new RawTlsClient.QuietEnd());
                }
            })
            .connect("127.0.0.1", b.transport.port()).sync().channel();

        assertThat(channel.closeFuture().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(warnings()).anyMatch(w -> w.contains("TLS handshake failed"));
    }

    @Test
    void anUnreachableAddressIsReported() throws Exception {
        Node a = node("a");
        NodeHandle nobody;
        try (java.net.ServerSocket closedAgain = new java.net.ServerSocket(0)) {
            nobody = new NodeHandle(Id.hash("nobody"), "127.0.0.1:" + closedAgain.getLocalPort());
        }

        a.transport.send(nobody, new Note("anyone?"));

        assertThat(a.unreachable.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(nobody);
    }

    @Test
    void aFloodingPeerIsSlowedDownInsteadOfFillingMemoryAndLosesNothing() throws Exception {
        Node a = node("a");
        DefaultEventLoop bThread = new DefaultEventLoop();
        toClose.add(() -> bThread.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        EventLoopScheduler bScheduler = new EventLoopScheduler(bThread);
        NodeCredentials bCredentials = credentials(caKeys, ca, "b");
        NettyTransport b = NettyTransport.start(bCredentials,
            new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:0", WireFormat.DEFAULT_MAX_FRAME_BYTES),
            types(), bScheduler, io);
        toClose.add(b);
        BlockingQueue<Object> atB = new LinkedBlockingQueue<>();
        b.setListener(new Transport.Listener() {
            @Override
            public void receive(NodeHandle from, Object message) {
                atB.add(message);
            }

            @Override
            public void unreachable(NodeHandle peer) {
            }
        });
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        bThread.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        NodeHandle bHandle = new NodeHandle(bCredentials.nodeId(), "127.0.0.1:" + b.port());
        int messages = 30_000;
        // Open the link first: while a link opens, at most Link.MAX_PENDING messages wait for it.
        a.transport.send(bHandle, new Note("opening"));
        for (int i = 0; i < 100 && a.transport.openLinks() == 0; i++) {
            Thread.sleep(50);
        }
        atB.clear();

        for (int i = 0; i < messages; i++) {
            a.transport.send(bHandle, new Note("n" + i));
        }
        int largestBacklog = 0;
        // until the backlog reached the limit (however slowly a loaded machine sends), then a while longer: reading
        // has stopped, so it must not keep growing
        for (int i = 0; i < 600 && largestBacklog < LinkHandler.MAX_NODE_BACKLOG; i++) {
            Thread.sleep(50);
            largestBacklog = Math.max(largestBacklog, bScheduler.backlog());
        }
        for (int i = 0; i < 20; i++) {
            Thread.sleep(50);
            largestBacklog = Math.max(largestBacklog, bScheduler.backlog());
        }
        release.countDown();
        List<Object> received = new ArrayList<>();
        // The first message ("opening") was queued behind the blocked task; skip it.
        assertThat(atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(new Note("opening"));
        for (Object message; received.size() < messages && (message = atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS)) != null; ) {
            received.add(message);
        }

        // One read may decode a socket buffer's worth of frames past the limit before reading stops.
        assertThat(largestBacklog).isBetween(LinkHandler.MAX_NODE_BACKLOG, LinkHandler.MAX_NODE_BACKLOG + 5_000);
        assertThat(received).hasSize(messages);
        assertThat(received.get(messages - 1)).isEqualTo(new Note("n" + (messages - 1)));
    }

    private Channel rawTlsClient(Node target, NodeCredentials credentials) throws Exception {
        return RawTlsClient.connect(io, target.transport.port(), credentials, types());
    }
}
