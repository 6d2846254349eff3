package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

/**
 * The shares of the inbound link cap on real TCP + TLS links: one certified node that says hello on many links keeps
 * only its share of them, one address keeps only its share of pending handshakes, and neither locks out anyone else;
 * nor do several addresses holding every pending slot together.
 */
class InboundSharesTlsTest {
    record Note(String text) implements Message {
    }

    private static final long WAIT_SECONDS = 20;
    /** Another loopback address: connections from it look like another host's. */
    private static final String OTHER_HOST = "127.0.0.2";
    /** The victim's port, and the next one for the honest node, in the pending-slots test. */
    private static final int SLOTS_PORT = 31_600;

    private final TlsTestNodes nodes = new TlsTestNodes();
    private final EventLoopGroup io = nodes.group();
    private final BlockingQueue<Object> atB = new LinkedBlockingQueue<>();

    private static MessageTypes types() {
        return new MessageTypes().register("test.note", Note.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        nodes.close();
    }

    private NettyTransport b(int linksPerNode, int pendingPerAddress, long idleMillis) throws Exception {
        NettyTransport.Config config = new NettyTransport.Config(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:0",
            WireFormat.DEFAULT_MAX_FRAME_BYTES, 64, idleMillis).withInboundShares(linksPerNode, pendingPerAddress);
        return nodes.start(nodes.credentials("b"), config, io, types(), atB, (self, from, message) -> { });
    }

    /** A raw link of {@code node} that said a valid hello and then one note, which b received: it is authenticated. */
    private Channel helloAndNote(NettyTransport b, NodeCredentials node, String text, InetSocketAddress from)
        throws Exception {
        Channel channel = RawTlsClient.connect(io, b.port(), node, types(), from);
        channel.write(new Hello(new NodeHandle(node.nodeId(), "127.0.0.1:1"), true));
        channel.writeAndFlush(new Note(text));
        return channel;
    }

    @Test
    void oneCertifiedNodeKeepsOnlyItsShareOfInboundLinksAndTheOldestGo() throws Exception {
        NettyTransport b = b(2, 64, NettyTransport.Config.DEFAULT_IDLE_MILLIS);
        NodeCredentials mallory = nodes.credentials("mallory");
        List<Channel> links = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            links.add(helloAndNote(b, mallory, "m" + i, new InetSocketAddress("127.0.0.1", 0)));
            assertThat(atB.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("b got the note of link %d", i).isEqualTo(new Note("m" + i));
        }

        for (int i = 0; i < 4; i++) {
            assertThat(links.get(i).closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("link %d closed", i).isTrue();
        }
        assertThat(links.get(4).isActive()).as("the newest links stay").isTrue();
        assertThat(links.get(5).isActive()).isTrue();
        assertThat(b.linkFigures().closedOverNodeShare()).isEqualTo(4);

        NettyTransport honest = nodes.start("honest", io, types(), new LinkedBlockingQueue<>(), (self, from, message) -> { });
        honest.send(TlsTestNodes.handle(b), new Note("from an honest node"));
        assertThat(atB.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("from an honest node"));
        assertThat(b.linkFigures().closedOverNodeShare()).as("the honest node's link is within its share").isEqualTo(4);
        assertThat(b.linkFigures().refusedPendingPerAddress()).isZero();
    }

    @Test
    void anInboundLinkSilentAfterItsHelloIsClosedAfterTheIdleTime() throws Exception {
        NettyTransport b = b(4, 64, 500);
        Channel quiet = helloAndNote(b, nodes.credentials("quiet"), "hello, then nothing", new InetSocketAddress("127.0.0.1", 0));
        assertThat(atB.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("hello, then nothing"));

        assertThat(quiet.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("closed for idleness").isTrue();
        assertThat(b.linkFigures().closedOverNodeShare()).as("not closed over its share").isZero();
    }

    @Test
    void oneAddressKeepsOnlyItsShareOfPendingHandshakes() throws Exception {
        NettyTransport b = b(4, 3, NettyTransport.Config.DEFAULT_IDLE_MILLIS);
        List<Socket> raw = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(OTHER_HOST, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", b.port()));
                raw.add(socket);
            }
            awaitAtLeast(() -> b.linkFigures().refusedPendingPerAddress(), 5);
            int closed = 0;
            for (Socket socket : raw) {
                closed += closedByPeer(socket) ? 1 : 0;
            }
            assertThat(closed).as("connections closed at once (the others wait in their handshake)").isEqualTo(5);
            assertThat(b.linkFigures().refusedPendingPerAddress()).isEqualTo(5);

            NettyTransport honest = nodes.start("honest", io, types(), new LinkedBlockingQueue<>(), (self, from, m) -> { });
            honest.send(TlsTestNodes.handle(b), new Note("from another address"));
            assertThat(atB.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("from another address"));
        } finally {
            for (Socket socket : raw) {
                socket.close();
            }
        }

        // Closed handshakes give their address its share back: a node at that address gets in again.
        NodeCredentials later = nodes.credentials("later");
        Object received = null;
        for (int attempt = 0; attempt < 100 && received == null; attempt++) {
            Channel channel = helloAndNote(b, later, "after the flood", new InetSocketAddress(OTHER_HOST, 0));
            channel.closeFuture().await(200, TimeUnit.MILLISECONDS);
            received = atB.poll(channel.isActive() ? WAIT_SECONDS : 0, TimeUnit.SECONDS);
        }
        assertThat(received).isEqualTo(new Note("after the flood"));
    }

    /**
     * Several hosts that together hold every pending-handshake slot (each within its share) do not keep a new
     * connection out: the oldest of the address with the most pending goes.
     */
    @Test
    void hostsHoldingEveryPendingSlotLoseTheirOldestToANewConnection() throws Exception {
        NettyTransport.Config config = new NettyTransport.Config(new InetSocketAddress("127.0.0.1", SLOTS_PORT),
            "127.0.0.1:" + SLOTS_PORT, WireFormat.DEFAULT_MAX_FRAME_BYTES, 8, NettyTransport.Config.DEFAULT_IDLE_MILLIS)
            .withInboundShares(4, 3);
        NettyTransport victim = nodes.start(nodes.credentials("victim"), config, io, types(), atB, (self, from, m) -> { });
        List<Socket> raw = new ArrayList<>();
        try {
            // 3 + 3 + 2 connections that never start TLS: every one of the 8 slots, each host within its share of 3
            for (String host : List.of("127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.3",
                "127.0.0.4", "127.0.0.4")) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(host, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", victim.port()));
                raw.add(socket);
            }
            for (Socket socket : raw) {
                assertThat(closedByPeer(socket)).as("pending, within its share").isFalse();
            }

            NettyTransport honest = nodes.start(nodes.credentials("honest"), new NettyTransport.Config(
                new InetSocketAddress("127.0.0.1", SLOTS_PORT + 1), "127.0.0.1:" + (SLOTS_PORT + 1),
                WireFormat.DEFAULT_MAX_FRAME_BYTES), io, types(), new LinkedBlockingQueue<>(), (self, from, m) -> { });
            honest.send(TlsTestNodes.handle(victim), new Note("while every slot was held"));
            assertThat(atB.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("while every slot was held"));

            assertThat(victim.linkFigures().evictedPendingHandshakes()).isEqualTo(1);
            List<Boolean> closed = new ArrayList<>();
            for (Socket socket : raw) {
                closed.add(closedByPeer(socket));
            }
            assertThat(closed).as("the oldest of the address with most pending went, no other")
                .containsExactly(true, false, false, false, false, false, false, false);
            assertThat(victim.linkFigures().refusedPendingPerAddress()).isZero();
        } finally {
            for (Socket socket : raw) {
                socket.close();
            }
        }
    }

    /** Whether the server closed {@code socket}: end of stream, rather than nothing to read (a pending handshake). */
    private static boolean closedByPeer(Socket socket) throws Exception {
        socket.setSoTimeout(300);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the peer
        }
    }

    private static void awaitAtLeast(LongSupplier figure, long expected) throws InterruptedException {
        for (int i = 0; i < WAIT_SECONDS * 20 && figure.getAsLong() < expected; i++) {
            Thread.sleep(50);
        }
    }
}
