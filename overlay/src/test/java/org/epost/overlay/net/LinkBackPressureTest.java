package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * Back-pressure on a real TCP + TLS link: a peer that stops reading (its I/O thread busy, as on a loaded machine) while
 * we send far more than the link's socket buffer holds (48 frames of 1 MiB, the buffer's high mark is 16 MiB) delays
 * the messages instead of losing them: once it reads again, every one arrives, in order. Before, what overran the
 * buffer was dropped and the requests it carried (PAST inserts of a large mail) timed out.
 */
class LinkBackPressureTest {
    record Chunk(int n, String payload) implements Message {
    }

    private static final Instant NOW = Instant.now().minusSeconds(60);
    private static final Duration DAY = Duration.ofDays(1);
    private static final int CHUNKS = 48;
    private static final int CHUNK_CHARS = 1 << 20;

    private final KeyPair caKeys = NodeCertificates.generateKeyPair();
    private final X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", NOW, DAY);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private NettyTransport start(String name, EventLoopGroup io, BlockingQueue<Object> received) throws Exception {
        KeyPair keys = NodeCertificates.generateKeyPair();
        NodeCredentials credentials = new NodeCredentials(keys.getPrivate(),
            NodeCertificates.issueNodeCertificate(caKeys, ca, keys.getPublic(), name, NOW, DAY), ca);
        DefaultEventLoop nodeThread = new DefaultEventLoop();
        toClose.add(() -> nodeThread.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        NettyTransport transport = NettyTransport.start(credentials, new NettyTransport.Config(
                new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:0", WireFormat.DEFAULT_MAX_FRAME_BYTES),
            new MessageTypes().register("test.chunk", Chunk.class), new EventLoopScheduler(nodeThread), io);
        toClose.add(transport);
        transport.setListener(new Transport.Listener() {
            @Override
            public void receive(NodeHandle from, Object message) {
                received.add(message);
            }

            @Override
            public void unreachable(NodeHandle peer) {
                received.add("unreachable " + peer);
            }
        });
        return transport;
    }

    private EventLoopGroup group() {
        EventLoopGroup group = new NioEventLoopGroup(1);
        toClose.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        return group;
    }

    @Test
    void aPeerThatStopsReadingDelaysLargeMessagesWithoutLosingAny() throws Exception {
        BlockingQueue<Object> atA = new LinkedBlockingQueue<>();
        BlockingQueue<Object> atB = new LinkedBlockingQueue<>();
        NettyTransport a = start("a", group(), atA);
        EventLoopGroup bIo = group();
        NettyTransport b = start("b", bIo, atB);
        NodeHandle bHandle = new NodeHandle(b.localHandle().id(), "127.0.0.1:" + b.port());
        a.send(bHandle, new Chunk(-1, "opening"));
        assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(new Chunk(-1, "opening"));

        // b's only I/O thread is busy: nothing is read from the socket until it is released
        CountDownLatch release = new CountDownLatch(1);
        bIo.next().execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String payload = "x".repeat(CHUNK_CHARS);
        long waiting = 0;
        for (int n = 0; n < CHUNKS; n++) {
            a.send(bHandle, new Chunk(n, payload));
            // paced as a node sends (a frame is counted against the socket buffer once the I/O thread encoded it)
            Thread.sleep(50);
            waiting = Math.max(waiting, a.waitingBytes());
        }
        release.countDown();

        List<Integer> arrived = new ArrayList<>();
        for (Object message; arrived.size() < CHUNKS && (message = atB.poll(30, TimeUnit.SECONDS)) != null; ) {
            arrived.add(((Chunk) message).n());
        }
        assertThat(waiting).as("messages waited on the link beyond its socket buffer").isPositive();
        assertThat(arrived).hasSize(CHUNKS).isSorted();
        assertThat(a.waitingBytes()).isZero();
        assertThat(atA).as("b was never reported unreachable").isEmpty();
    }
}
