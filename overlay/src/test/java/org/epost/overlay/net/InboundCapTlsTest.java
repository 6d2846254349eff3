package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
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
 * The inbound cap against many certified nodes on real TCP + TLS links (issue #15): nodes with as many certificates
 * of the organization, each from its own loopback address and within every share, fill a peer's cap of 8; a stranger
 * beyond is still closed, but a node the peer's routing needs (a leaf-set member) gets in, in place of the link that
 * read nothing for longest.
 */
class InboundCapTlsTest {
    record Note(String text) implements Message {
    }

    private static final long WAIT_SECONDS = 20;
    private static final int CAP = 8;
    private static final int PORT = 26_500;
    private static final int SPARE_PORT = 31_602;

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

    /** A raw link of {@code node} from {@code host} that said hello and a note, which the victim received. */
    private Channel link(NettyTransport victim, NodeCredentials node, String host, String text) throws Exception {
        Channel channel = helloAndNote(victim, node, host, text);
        assertThat(atVictim.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the victim got " + text).isEqualTo(new Note(text));
        return channel;
    }

    private Channel helloAndNote(NettyTransport victim, NodeCredentials node, String host, String text) throws Exception {
        Channel channel = RawTlsClient.connect(io, victim.port(), node, types(), new InetSocketAddress(host, 0));
        channel.write(new Hello(new NodeHandle(node.nodeId(), host + ":1"), true));
        channel.writeAndFlush(new Note(text));
        return channel;
    }

    @Test
    void manyCertifiedNodesFillTheCapButALeafMemberStillGetsInAndStrangersDoNot() throws Exception {
        NodeCredentials leafMember = nodes.credentials("leaf member");
        NettyTransport victim = nodes.start(nodes.credentials("victim"), new NettyTransport.Config(
            new InetSocketAddress("127.0.0.1", PORT), "127.0.0.1:" + PORT, WireFormat.DEFAULT_MAX_FRAME_BYTES, CAP,
            NettyTransport.Config.DEFAULT_IDLE_MILLIS), io, types(), atVictim, (self, from, message) -> { });
        // the victim's routing state holds the leaf member only (in a ring: its leaf set and routing table)
        victim.setRoutingNeeds(id -> id.equals(leafMember.nodeId()));

        List<Channel> hostile = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            hostile.add(link(victim, nodes.credentials("hostile " + i), "127.0.0." + (i + 2), "fill " + i));
        }
        // hostile 0 speaks again: hostile 1 is now the link that read nothing for longest
        hostile.get(0).writeAndFlush(new Note("still here"));
        assertThat(atVictim.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("still here"));

        Channel stranger = helloAndNote(victim, nodes.credentials("stranger"), "127.0.0.20", "one more");
        assertThat(stranger.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("a stranger over the cap").isTrue();
        awaitAtLeast(() -> victim.linkFigures().refusedOverCap(), 1);
        assertThat(victim.linkFigures().evictedForNeededNode()).isZero();

        BlockingQueue<Object> atLeaf = new LinkedBlockingQueue<>();
        NettyTransport leaf = nodes.start(leafMember, new NettyTransport.Config(new InetSocketAddress("127.0.0.1",
            PORT + 1), "127.0.0.1:" + (PORT + 1), WireFormat.DEFAULT_MAX_FRAME_BYTES), io, types(), atLeaf,
            (self, from, message) -> { });
        leaf.send(TlsTestNodes.handle(victim), new Note("from the leaf member"));
        assertThat(atVictim.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the stranger's note was dropped with its link")
            .isEqualTo(new Note("from the leaf member"));

        assertThat(hostile.get(1).closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS))
            .as("the least recently used link went").isTrue();
        awaitAtLeast(() -> victim.linkFigures().evictedForNeededNode(), 1);
        assertThat(victim.linkFigures().evictedForNeededNode()).isEqualTo(1);
        for (int i = 0; i < CAP; i++) {
            assertThat(hostile.get(i).isActive()).as("hostile link %d", i).isEqualTo(i != 1);
        }
        // the leaf member's link stays and carries the victim's answers too
        victim.send(leaf.localHandle(), new Note("answer"));
        assertThat(atLeaf.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Note("answer"));

        Channel another = helloAndNote(victim, nodes.credentials("another stranger"), "127.0.0.21", "and another");
        assertThat(another.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        hostile.get(0).writeAndFlush(new Note("after the strangers"));
        assertThat(atVictim.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("nothing a refused link sent reached the node")
            .isEqualTo(new Note("after the strangers"));
        awaitAtLeast(() -> victim.linkFigures().refusedOverCap(), 2);
        assertThat(victim.linkFigures().refusedOverCap()).isEqualTo(2);
        assertThat(victim.linkFigures().evictedForNeededNode()).as("strangers never evict").isEqualTo(1);
    }

    /** Every link at the cap of a needed node: a needed newcomer takes a needed node's spare link, never its last. */
    @Test
    void aNeededNodeGetsInWhenEveryLinkAtTheCapIsOfANeededNodeByTakingASpareOne() throws Exception {
        NettyTransport victim = nodes.start(nodes.credentials("victim"), new NettyTransport.Config(
            new InetSocketAddress("127.0.0.1", SPARE_PORT), "127.0.0.1:" + SPARE_PORT, WireFormat.DEFAULT_MAX_FRAME_BYTES,
            2, NettyTransport.Config.DEFAULT_IDLE_MILLIS), io, types(), atVictim, (self, from, message) -> { });
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

    private static void awaitAtLeast(LongSupplier figure, long expected) throws InterruptedException {
        for (int i = 0; i < WAIT_SECONDS * 20 && figure.getAsLong() < expected; i++) {
            Thread.sleep(50);
        }
    }
}
