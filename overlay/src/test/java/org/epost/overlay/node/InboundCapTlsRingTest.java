package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.net.EventLoopScheduler;
import org.epost.overlay.net.NettyTransport;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.pastry.messages.PastryMessageTypes;
import org.epost.overlay.pastry.messages.Probe;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.testing.RealNodes;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * The inbound cap against many certified nodes in a real ring (issue #15; TCP + TLS, ports 26510-26539): a peer with
 * a cap of 8 inbound links has them filled by 12 certified identities of the organization that say hello and probe
 * it; a leaf-set member that restarts and can join only through that peer still gets in (its links take the place of
 * the hostile links used least recently), and PAST stores and finds its blocks on the three nodes. Before the cap
 * knew whom routing needs, the restarted member was refused at accept and never joined.
 */
class InboundCapTlsRingTest {
    private static final int FIRST_PORT = 26_510;
    private static final int HOSTILE_PORT = 26_520;
    private static final int CAP = 8;
    private static final int HOSTILE = 12;
    private static final long WAIT_MILLIS = RealNodes.WAIT_MILLIS;
    private static final Instant NOW = Instant.now().minusSeconds(60);

    private final KeyPair caKeys = NodeCertificates.generateKeyPair();
    private final X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Test Org", NOW, Duration.ofDays(1));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private NodeCredentials credentials(String name) {
        KeyPair keys = NodeCertificates.generateKeyPair();
        return new NodeCredentials(keys.getPrivate(), NodeCertificates.issueNodeCertificate(caKeys, ca, keys.getPublic(),
            name, NOW, Duration.ofDays(1)), ca);
    }

    private static String address(int port) {
        return "127.0.0.1:" + port;
    }

    private OverlayNode start(NodeCredentials credentials, int port, List<String> bootstrap, PastryConfig pastry,
                              int inboundLinks, Path store) throws Exception {
        OverlayNode node = OverlayNode.start(credentials, new OverlayNodeConfig(new InetSocketAddress("127.0.0.1", port),
            address(port), bootstrap, pastry, WireFormat.DEFAULT_MAX_FRAME_BYTES, store, StoreConfig.withQuota(16L << 20),
            PastConfig.defaults().withReplicas(2), NettyTransport.Config.DEFAULT_LINK_BUDGET_BYTES, inboundLinks,
            NettyTransport.Config.DEFAULT_INBOUND_LINKS_PER_NODE, NettyTransport.Config.DEFAULT_PENDING_PER_ADDRESS),
            new MessageTypes());
        toClose.add(node);
        return node;
    }

    /**
     * Certified identities the victim's routing has no place for: not closer than its leaf-set members, and their
     * routing-table slot held already (a slot's holder is replaced only by a node measured nearer). A hostile node
     * gets no more: its ids are random (fixed by its certificates); an id that fits the routing state would be needed,
     * as an honest node with it would be.
     */
    private List<NodeCredentials> strangers(OverlayNode victim, int count) throws Exception {
        List<NodeCredentials> found = new ArrayList<>();
        while (found.size() < count) {
            NodeCredentials candidate = credentials("hostile " + found.size());
            Id id = candidate.nodeId();
            boolean stranger = victim.onNodeThread(() -> {
                Id self = victim.pastry().localHandle().id();
                int row = self.sharedPrefixLength(id);
                boolean slotHeld = victim.pastry().routingTableEntries().stream().anyMatch(held ->
                    self.sharedPrefixLength(held.id()) == row && held.id().digit(row) == id.digit(row));
                return slotHeld && !new RoutingNeeds(victim.pastry()).test(id);
            }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (stranger) {
                found.add(candidate);
            }
        }
        return found;
    }

    /** A certified node that is no ring member: it opens a link to {@code victim} and probes it, then stays quiet. */
    private void hostileLink(NodeCredentials credentials, int index, EventLoopGroup io, NodeHandle victim)
            throws Exception {
        DefaultEventLoop nodeThread = new DefaultEventLoop();
        toClose.add(() -> nodeThread.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        int port = HOSTILE_PORT + index;
        NettyTransport transport = NettyTransport.start(credentials, new NettyTransport.Config(
            new InetSocketAddress("127.0.0.1", port), address(port), WireFormat.DEFAULT_MAX_FRAME_BYTES),
            PastryMessageTypes.register(new MessageTypes()), new EventLoopScheduler(nodeThread), io);
        toClose.add(transport);
        transport.setListener(new Transport.Listener() {
            @Override
            public void receive(NodeHandle from, Object message) {
            }

            @Override
            public void unreachable(NodeHandle peer) {
            }
        });
        transport.send(victim, new Probe());
    }

    @Test
    void aLeafMemberGetsInThroughAFullCapAndPastWorks(@TempDir Path storage) throws Exception {
        // a leaf set of 2, full in a ring of 3; the victim suspects a silent member only slowly, so the restarted member
        // is still in its leaf set when it comes back
        PastryConfig small = PastryConfig.defaults().withLeafSetSize(2);
        PastryConfig patient = new PastryConfig(2, 30_000, 30_000, 3, 1_000, 5_000, 60_000, 60_000, 600_000, 64, 8,
            4096);
        List<String> all = List.of(address(FIRST_PORT), address(FIRST_PORT + 1), address(FIRST_PORT + 2));
        OverlayNode victim = start(credentials("victim"), FIRST_PORT, all, patient, CAP, storage.resolve("victim"));
        NodeCredentials memberCredentials = credentials("member");
        OverlayNode member = start(memberCredentials, FIRST_PORT + 1, all, small,
            NettyTransport.Config.DEFAULT_MAX_INBOUND_LINKS, storage.resolve("member"));
        OverlayNode other = start(credentials("other"), FIRST_PORT + 2, all, small,
            NettyTransport.Config.DEFAULT_MAX_INBOUND_LINKS, storage.resolve("other"));
        List.of(victim, member, other).forEach(OverlayNode::join);
        assertThat(RealNodes.await(() -> RealNodes.leafSet(victim).size() == 2 && RealNodes.leafSet(member).size() == 2
            && RealNodes.leafSet(other).size() == 2)).as("the ring forms").isTrue();

        // the member stops first (its process gone, with its links): had its link to the victim been inbound there, its
        // close would free a slot the restarted member then took without any eviction; the hostile links fill the cap
        // after it
        Id memberId = memberCredentials.nodeId();
        int linksBefore = victim.transport().openLinks();
        member.close();
        toClose.remove(member);
        assertThat(RealNodes.await(() -> victim.transport().openLinks() < linksBefore))
            .as("the victim saw the member's links close").isTrue();

        EventLoopGroup io = new NioEventLoopGroup(1);
        toClose.add(() -> io.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        NodeHandle victimHandle = victim.transport().localHandle();
        List<NodeCredentials> hostile = strangers(victim, HOSTILE);
        for (int i = 0; i < HOSTILE; i++) {
            hostileLink(hostile.get(i), i, io, victimHandle);
        }
        assertThat(RealNodes.await(() -> victim.transport().linkFigures().refusedOverCap() >= 4))
            .as("the hostile identities filled the cap and the rest were refused").isTrue();
        long evictedBefore = victim.transport().linkFigures().evictedForNeededNode();

        // the member restarts (a new process) and may join only through the victim; it listens on another port, so the
        // victim, which still has it in its leaf set, cannot open a link to it itself
        OverlayNode restarted = start(memberCredentials, FIRST_PORT + 3, List.of(address(FIRST_PORT)),
            small, NettyTransport.Config.DEFAULT_MAX_INBOUND_LINKS, storage.resolve("restarted"));
        restarted.join();
        assertThat(RealNodes.await(() -> restarted.pastry().isReady() && RealNodes.leafSet(restarted).size() == 2))
            .as("the restarted member joined through the full victim").isTrue();
        assertThat(victim.transport().linkFigures().evictedForNeededNode()).as("hostile links made room")
            .isGreaterThan(evictedBefore);
        assertThat(RealNodes.leafSet(victim)).extracting(NodeHandle::id).contains(memberId);

        ContentHashBlock block = ContentHashBlock.of("through a full inbound cap".getBytes(StandardCharsets.UTF_8));
        InsertResult inserted = restarted.past().insert(block, System.currentTimeMillis() + 3_600_000)
            .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(inserted.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(inserted.holders()).hasSize(2);
        assertThat(victim.past().lookup(block.key()).get(WAIT_MILLIS, TimeUnit.MILLISECONDS)).get()
            .extracting(Block::key).isEqualTo(block.key());
    }
}
