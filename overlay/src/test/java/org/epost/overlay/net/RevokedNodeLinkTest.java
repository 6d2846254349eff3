package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
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
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * A node the organization revoked, speaking the real protocol over real TCP + TLS 1.3 on loopback: its certificate is
 * still valid and signed by the right CA, only the revocation list stops it. Ports 48100-48199 (this helper's range).
 */
class RevokedNodeLinkTest {
    record Note(String text) implements Message {
    }

    private static final Instant NOW = Instant.now().minusSeconds(60);
    private static final Duration DAY = Duration.ofDays(1);
    private static final long WAIT_SECONDS = 20;
    private static int nextPort = 48100;

    private final KeyPair caKeys = NodeCertificates.generateKeyPair();
    private final X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", NOW, DAY);
    private final EventLoopGroup io = new NioEventLoopGroup(2);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    private final class Node {
        final NodeCredentials credentials;
        final NettyTransport transport;
        final BlockingQueue<Object[]> received = new LinkedBlockingQueue<>();
        final BlockingQueue<NodeHandle> unreachable = new LinkedBlockingQueue<>();

        Node(String name) throws Exception {
            KeyPair keys = NodeCertificates.generateKeyPair();
            credentials = new NodeCredentials(keys.getPrivate(),
                NodeCertificates.issueNodeCertificate(caKeys, ca, keys.getPublic(), name, NOW, DAY), ca);
            int port = nextPort++;
            DefaultEventLoop nodeThread = new DefaultEventLoop();
            toClose.add(() -> nodeThread.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
            transport = NettyTransport.start(credentials, new NettyTransport.Config(new InetSocketAddress("127.0.0.1", port),
                "127.0.0.1:" + port, WireFormat.DEFAULT_MAX_FRAME_BYTES), new MessageTypes().register("test.note", Note.class),
                new EventLoopScheduler(nodeThread), io);
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
            return transport.localHandle();
        }

        Object nextMessage() throws InterruptedException {
            Object[] next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            return next == null ? null : next[1];
        }
    }

    private RevocationList revoking(long number, Node... nodes) {
        Set<Id> ids = new java.util.TreeSet<>();
        for (Node node : nodes) {
            ids.add(node.credentials.nodeId());
        }
        return RevocationList.sign(caKeys.getPrivate(), number, Instant.now(), Instant.now().plus(DAY), ids, Set.of());
    }

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(LinkHandler.class)).addAppender(log);
        ((Logger) LoggerFactory.getLogger(NettyTransport.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(LinkHandler.class)).detachAppender(log);
        ((Logger) LoggerFactory.getLogger(NettyTransport.class)).detachAppender(log);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private List<String> logLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aRevokedNodeCannotOpenALinkThoughItsCertificateIsValid() throws Exception {
        Node b = new Node("b");
        Node mallory = new Node("mallory");
        assertThat(b.transport.revocations().offer(revoking(1, mallory))).isEqualTo(Revocations.Outcome.ADOPTED);

        mallory.transport.send(b.handle(), new Note("let me in"));

        assertThat(mallory.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(b.handle());
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(logLines()).anyMatch(line -> line.contains("Rejected overlay link")
            && line.contains("node " + mallory.credentials.nodeId().toHex() + " is revoked"));
    }

    @Test
    void aNodeDoesNotConnectToARevokedNode() throws Exception {
        Node a = new Node("a");
        Node mallory = new Node("mallory");
        a.transport.revocations().offer(revoking(1, mallory));

        a.transport.send(mallory.handle(), new Note("for a revoked node"));

        assertThat(a.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(mallory.handle());
        assertThat(mallory.received.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void anOpenLinkIsClosedWhenItsPeerIsRevokedAndStaysClosed() throws Exception {
        Node b = new Node("b");
        Node mallory = new Node("mallory");
        Node honest = new Node("honest");
        mallory.transport.send(b.handle(), new Note("before"));
        honest.transport.send(b.handle(), new Note("honest before"));
        assertThat(List.of(b.nextMessage(), b.nextMessage()))
            .containsExactlyInAnyOrder(new Note("before"), new Note("honest before"));

        b.transport.revocations().offer(revoking(1, mallory));

        assertThat(mallory.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(b.handle());
        assertThat(logLines()).anyMatch(line -> line.startsWith("Closing the overlay link with "
            + mallory.credentials.nodeId().toHex()));
        mallory.transport.send(b.handle(), new Note("after"));
        assertThat(mallory.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(b.handle());
        honest.transport.send(b.handle(), new Note("honest after"));
        assertThat(b.nextMessage()).as("the honest node's link is untouched").isEqualTo(new Note("honest after"));
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).as("nothing from mallory").isNull();
        assertThat(honest.unreachable).isEmpty();
    }

    @Test
    void anOlderOrForeignListDoesNotReplaceTheOneEnforced() throws Exception {
        Node b = new Node("b");
        Node mallory = new Node("mallory");
        Revocations revocations = b.transport.revocations();
        revocations.offer(revoking(2, mallory));
        KeyPair otherCa = NodeCertificates.generateKeyPair();

        assertThat(revocations.offer(RevocationList.sign(caKeys.getPrivate(), 1, Instant.now(), Instant.now().plus(DAY),
            Set.of(), Set.of()))).isEqualTo(Revocations.Outcome.NOT_NEWER);
        assertThat(revocations.offer(RevocationList.sign(otherCa.getPrivate(), 3, Instant.now(), Instant.now().plus(DAY),
            Set.of(), Set.of()))).isEqualTo(Revocations.Outcome.NOT_SIGNED);
        assertThat(revocations.current().orElseThrow().number()).isEqualTo(2);

        mallory.transport.send(b.handle(), new Note("still revoked"));
        assertThat(mallory.unreachable.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(b.handle());
        assertThat(b.received.poll(1, TimeUnit.SECONDS)).isNull();
    }
}
