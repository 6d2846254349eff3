package org.epost.overlay.net;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * Real TCP + TLS transports in one test JVM: one organization CA, node certificates valid for a day, each node with
 * its own node thread; everything started is closed by {@link #close}.
 */
final class TlsTestNodes implements AutoCloseable {
    private static final Instant NOW = Instant.now().minusSeconds(60);
    private static final Duration DAY = Duration.ofDays(1);

    private final KeyPair caKeys = NodeCertificates.generateKeyPair();
    private final X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", NOW, DAY);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** An I/O event loop group of one thread (a test can keep that thread busy: the node then reads nothing). */
    EventLoopGroup group() {
        EventLoopGroup group = new NioEventLoopGroup(1);
        toClose.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        return group;
    }

    /** What a node of a test does with a message, before it is queued for the test to see. */
    interface OnReceive {
        void accept(NettyTransport self, NodeHandle from, Object message);
    }

    /** Nodes a and b, b's I/O on its own thread (so that a test can stop b reading: {@link #stopReading}). */
    record Pair(NettyTransport a, BlockingQueue<Object> atA, NettyTransport b, BlockingQueue<Object> atB,
                EventLoopGroup bIo) {
        /** How a reaches b. */
        NodeHandle bHandle() {
            return handle(b);
        }
    }

    /** Two nodes whose messages are handled by {@code onReceive} and then queued. */
    Pair pair(MessageTypes types, OnReceive onReceive) throws Exception {
        BlockingQueue<Object> atA = new LinkedBlockingQueue<>();
        BlockingQueue<Object> atB = new LinkedBlockingQueue<>();
        NettyTransport a = start("a", group(), types, atA, onReceive);
        EventLoopGroup bIo = group();
        return new Pair(a, atA, start("b", bIo, types, atB, onReceive), atB, bIo);
    }

    /**
     * A transport on a free local port whose node hands every message to {@code received} (and a lost peer as the
     * text "unreachable ..."), after calling {@code onReceive} with it.
     */
    NettyTransport start(String name, EventLoopGroup io, MessageTypes types, BlockingQueue<Object> received,
                         OnReceive onReceive) throws Exception {
        return start(credentials(name), new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:0",
            WireFormat.DEFAULT_MAX_FRAME_BYTES), io, types, received, onReceive);
    }

    /** A node certificate of this organization for {@code name}, valid for a day. */
    NodeCredentials credentials(String name) {
        KeyPair keys = NodeCertificates.generateKeyPair();
        return new NodeCredentials(keys.getPrivate(),
            NodeCertificates.issueNodeCertificate(caKeys, ca, keys.getPublic(), name, NOW, DAY), ca);
    }

    /** The same, as {@code credentials} and with {@code config} (which should listen on a free loopback port). */
    NettyTransport start(NodeCredentials credentials, NettyTransport.Config config, EventLoopGroup io, MessageTypes types,
                         BlockingQueue<Object> received, OnReceive onReceive) throws Exception {
        DefaultEventLoop nodeThread = new DefaultEventLoop();
        toClose.add(() -> nodeThread.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        NettyTransport transport = NettyTransport.start(credentials, config, types, new EventLoopScheduler(nodeThread), io);
        toClose.add(transport);
        transport.setListener(new Transport.Listener() {
            @Override
            public void receive(NodeHandle from, Object message) {
                onReceive.accept(transport, from, message);
                received.add(message);
            }

            @Override
            public void unreachable(NodeHandle peer) {
                received.add("unreachable " + peer);
            }
        });
        return transport;
    }

    /** How the other nodes reach {@code to} (the address it advertises says port 0). */
    static NodeHandle handle(NettyTransport to) {
        return new NodeHandle(to.localHandle().id(), "127.0.0.1:" + to.port());
    }

    /** Keeps the only thread of {@code io} busy, so its node reads nothing, until the latch returned is counted down. */
    static CountDownLatch stopReading(EventLoopGroup io) {
        CountDownLatch release = new CountDownLatch(1);
        io.next().execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return release;
    }

    @Override
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }
}
