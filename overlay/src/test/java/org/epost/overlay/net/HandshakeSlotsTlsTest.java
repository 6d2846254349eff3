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
 * The cap's slots on real TCP + TLS links (issue #15): several hosts that together hold every pending-handshake slot
 * (each within its share) do not keep a new connection out, their oldest goes; and a node routing needs gets in
 * even when every link at the cap is of a needed node, by taking a needed node's spare link, never its last.
 */
class HandshakeSlotsTlsTest {
    record Note(String text) implements Message {
    }

    private static final long WAIT_SECONDS = 20;
    private static final int PORT = 31_600;

    private final TlsTestNodes nodes = new TlsTestNodes();
    private final EventLoopGroup io = nodes.group();
    private final BlockingQueue<Object> atVictim = new LinkedBlockingQueue<>();

    private static MessageTypes types() {
        return new MessageTypes().register("test.note", Note.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        nodes.close();
    }

    private NettyTransport victim(int cap, int pendingPerAddress) throws Exception {
        NettyTransport.Config config = new NettyTransport.Config(new InetSocketAddress("127.0.0.1", PORT),
            "127.0.0.1:" + PORT, WireFormat.DEFAULT_MAX_FRAME_BYTES, cap, NettyTransport.Config.DEFAULT_IDLE_MILLIS)
            .withInboundShares(4, pendingPerAddress);
        return nodes.start(nodes.credentials("victim"), config, io, types(), atVictim, (self, from, message) -> { });
    }

    @Test
    void hostsHoldingEveryPendingSlotLoseTheirOldestToANewConnection() throws Exception {
        NettyTransport victim = victim(8, 3);
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
                new InetSocketAddress("127.0.0.1", PORT + 1), "127.0.0.1:" + (PORT + 1),
                WireFormat.DEFAULT_MAX_FRAME_BYTES), io, types(), new LinkedBlockingQueue<>(), (self, from, m) -> { });
            honest.send(TlsTestNodes.handle(victim), new Note("while every slot was held"));
            assertThat(atVictim.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("while every slot was held"));

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

    @Test
    void aNeededNodeGetsInWhenEveryLinkAtTheCapIsOfANeededNodeByTakingASpareOne() throws Exception {
        NettyTransport victim = victim(2, 64);
        NodeCredentials twice = nodes.credentials("leaf member with two links");
        NodeCredentials other = nodes.credentials("other leaf member");
        victim.setRoutingNeeds(id -> id.equals(twice.nodeId()) || id.equals(other.nodeId()));

        Channel older = link(victim, twice, "127.0.0.2", "first link");
        Channel newer = link(victim, twice, "127.0.0.2", "second link");
        Channel third = link(victim, other, "127.0.0.3", "the other member");

        assertThat(older.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the spare link read least recently")
            .isTrue();
        awaitAtLeast(() -> victim.linkFigures().evictedForNeededNode(), 1);
        assertThat(victim.linkFigures().evictedForNeededNode()).isEqualTo(1);
        assertThat(victim.linkFigures().refusedOverCap()).isZero();
        assertThat(newer.isActive()).as("the member keeps its other link").isTrue();
        assertThat(third.isActive()).isTrue();

        // now each member has its last link here: a third needed node finds nothing it may take
        NodeCredentials late = nodes.credentials("late member");
        victim.setRoutingNeeds(id -> id.equals(twice.nodeId()) || id.equals(other.nodeId())
            || id.equals(late.nodeId()));
        Channel refused = helloAndNote(victim, late, "127.0.0.4", "late");
        assertThat(refused.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        awaitAtLeast(() -> victim.linkFigures().refusedOverCap(), 1);
        assertThat(victim.linkFigures().refusedOverCap()).isEqualTo(1);
        assertThat(newer.isActive() && third.isActive()).as("no member's last link taken").isTrue();
    }

    private Channel link(NettyTransport victim, NodeCredentials node, String host, String text) throws Exception {
        Channel channel = helloAndNote(victim, node, host, text);
        assertThat(atVictim.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the victim got " + text).isEqualTo(new Note(text));
        return channel;
    }

    private Channel helloAndNote(NettyTransport victim, NodeCredentials node, String host, String text)
        throws Exception {
        Channel channel = RawTlsClient.connect(io, victim.port(), node, types(), new InetSocketAddress(host, 0));
        channel.write(new Hello(new NodeHandle(node.nodeId(), host + ":1"), true));
        channel.writeAndFlush(new Note(text));
        return channel;
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
