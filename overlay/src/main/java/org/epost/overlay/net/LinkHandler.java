package org.epost.overlay.net;

import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.security.PeerCertificateVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The last handler of a link's pipeline: after TLS, exchanges {@link Hello}s, refuses a peer whose claimed node id is
 * not the one its certificate entitles it to (or, on links we opened, not the node we meant to reach), then hands
 * every message to the transport. Anything odd — a message before the hello, a decoding error, an oversized frame —
 * is logged with the peer's address and ends the link.
 */
final class LinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(LinkHandler.class);
    static final long HELLO_TIMEOUT_MILLIS = 10_000;
    /** Messages waiting for the node thread beyond which links stop reading. */
    static final int MAX_NODE_BACKLOG = 10_000;
    /** Reasons quoting peer bytes (a garbage TLS record is dumped in hex) are cut, so a peer cannot flood the log. */
    private static final int MAX_REASON_CHARS = 300;
    /** The certified node id of a link's peer once its hello checked out, so a revocation can find its links. */
    static final AttributeKey<Id> PEER_ID = AttributeKey.valueOf("epost.peerId");

    private final NettyTransport transport;
    private final PeerCertificateVerifier verifier;
    /** The node this link was opened to reach; null on links a peer opened to us. */
    private final Link outbound;
    private NodeHandle peer;
    private ScheduledFuture<?> helloTimeout;
    /** One log line per refused link: later errors of the same dying link are only noise. */
    private boolean refused;

    LinkHandler(NettyTransport transport, PeerCertificateVerifier verifier, Link outbound) {
        this.transport = transport;
        this.verifier = verifier;
        this.outbound = outbound;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent) event;
            if (handshake.isSuccess()) {
                context.writeAndFlush(new Hello(transport.localHandle(), transport.inRing()));
                helloTimeout = context.executor().schedule(() -> reject(context, "sent no hello within "
                    + HELLO_TIMEOUT_MILLIS + " ms"), HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                reject(context, "TLS handshake failed: " + handshake.cause().getMessage());
            }
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (peer != null) {
            if (message instanceof LinkClosing closing) {
                peerCloses(context, closing);
                return;
            }
            if (outbound == null) {
                transport.inboundRead(context.channel());
            }
            transport.received(peer, message, context.channel());
            throttle(context);
            return;
        }
        if (!(message instanceof Hello)) {
            reject(context, "sent " + message.getClass().getSimpleName() + " before its hello");
            return;
        }
        Hello hello = (Hello) message;
        NodeHandle claimed = hello.node();
        Optional<String> rejection = certificateRejection(context, claimed);
        if (rejection.isEmpty() && outbound != null && outbound.identityKnown() && !outbound.peer().id().equals(claimed.id())) {
            rejection = Optional.of("answered as " + claimed.id().toHex() + " but we connected to reach "
                + outbound.peer().id().toHex());
        }
        if (rejection.isPresent()) {
            reject(context, rejection.get());
            return;
        }
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        peer = claimed;
        context.channel().attr(PEER_ID).set(claimed.id());
        transport.linkOpened(outbound, context.channel(), claimed, hello.inRing());
    }

    /** The peer closes the link in good order: if for idleness, it is forgotten as quiet (not failed) once closed. */
    private void peerCloses(ChannelHandlerContext context, LinkClosing closing) {
        if (closing.idle()) {
            context.channel().attr(IdleLinkCloser.CLOSED_IDLE).set(true);
            context.close();
        } else {
            LOG.warn("Overlay link with {} closing for an unknown reason, taken as a failure: {}", peer,
                shorten(closing.reason()));
        }
    }

    /**
     * Backpressure: when the node thread is too far behind, stop reading this link (TCP then slows the sender) until
     * it has caught up, so a peer that floods us costs bounded memory instead of an ever-growing task queue.
     */
    private void throttle(ChannelHandlerContext context) {
        if (transport.nodeBacklog() > MAX_NODE_BACKLOG && context.channel().config().isAutoRead()) {
            context.channel().config().setAutoRead(false);
            resumeWhenCaughtUp(context);
        }
    }

    private void resumeWhenCaughtUp(ChannelHandlerContext context) {
        context.executor().schedule(() -> {
            if (transport.nodeBacklog() > MAX_NODE_BACKLOG / 2) {
                resumeWhenCaughtUp(context);
            } else {
                context.channel().config().setAutoRead(true);
            }
        }, 5, TimeUnit.MILLISECONDS);
    }

    private Optional<String> certificateRejection(ChannelHandlerContext context, NodeHandle claimed) {
        try {
            Certificate[] chain = context.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            return verifier.rejection((X509Certificate) chain[0], claimed.id(), Instant.now());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.of("presented no certificate");
        }
    }

    private void reject(ChannelHandlerContext context, String why) {
        if (!refused) {
            refused = true;
            LOG.warn("Rejected overlay link with {}: {}", remote(context), shorten(why));
        }
        context.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
        if (!refused) {
            refused = true;
            LOG.warn("Dropping overlay link with {} ({}): {}", remote(context), peer == null ? "before hello" : peer,
                shorten(reason.toString()));
        }
        context.close();
    }

    private static String shorten(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "...";
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        transport.writabilityChanged(outbound, context.channel(), peer);
        super.channelWritabilityChanged(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        transport.linkClosed(outbound, context.channel(), peer);
        super.channelInactive(context);
    }

    private static SocketAddress remote(ChannelHandlerContext context) {
        return context.channel().remoteAddress();
    }
}
