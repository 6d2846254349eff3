package org.epost.post.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.net.EventLoopScheduler;
import org.epost.overlay.net.NettyTransport;
import org.epost.overlay.pastry.messages.PastryMessageTypes;
import org.epost.overlay.pastry.messages.Probe;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * The inbound cap against many certified nodes (issue #15): with several node certificates of the organization, the
 * hostile node holds links to the victim that said a valid hello (each a transport of its own: one link per
 * transport) and probes the victim on each, so that together they fill its inbound cap; links the victim closes are
 * opened again every second. Counted: links opened, links the victim closed (it reported the peer unreachable), and
 * the most held at once.
 */
final class HelloLinkAttack {
    private final NodeHandle victim;
    private final List<NodeCredentials> identities;
    private final int linksPerIdentity;
    private final AttackFigures figures;

    HelloLinkAttack(NodeHandle victim, List<NodeCredentials> identities, int linksPerIdentity, AttackFigures figures) {
        this.victim = victim;
        this.identities = List.copyOf(identities);
        this.linksPerIdentity = linksPerIdentity;
        this.figures = figures;
    }

    void run(BooleanSupplier running) throws Exception {
        EventLoopGroup io = new NioEventLoopGroup(2);
        DefaultEventLoop nodeThread = new DefaultEventLoop();
        List<NettyTransport> transports = new ArrayList<>();
        try {
            EventLoopScheduler scheduler = new EventLoopScheduler(nodeThread);
            for (NodeCredentials identity : identities) {
                for (int i = 0; i < linksPerIdentity; i++) {
                    NettyTransport transport = NettyTransport.start(identity, new NettyTransport.Config(
                        new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:1", WireFormat.DEFAULT_MAX_FRAME_BYTES),
                        PastryMessageTypes.register(new MessageTypes()), scheduler, io);
                    transport.setListener(new Transport.Listener() {
                        @Override
                        public void receive(NodeHandle from, Object message) {
                        }

                        @Override
                        public void unreachable(NodeHandle peer) {
                            figures.count("closed-by-victim");
                        }
                    });
                    transports.add(transport);
                }
            }
            while (running.getAsBoolean()) {
                long held = 0;
                for (NettyTransport transport : transports) {
                    if (transport.openLinks() > 0) {
                        held++;
                    } else {
                        // (re)opens the link: the probe goes out after the hello
                        transport.send(victim, new Probe());
                        figures.count("opened");
                    }
                }
                figures.gauge("held", held);
                Thread.sleep(1_000);
            }
        } finally {
            transports.forEach(NettyTransport::close);
            nodeThread.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
