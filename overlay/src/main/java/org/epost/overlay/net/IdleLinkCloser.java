package org.epost.overlay.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;

/**
 * Closes a link on which nothing was read or written for the configured idle time (the {@code IdleStateHandler}
 * before it tells): a node that opened connections and went quiet, or a half-open socket, must not hold a slot and
 * its buffers for ever. A link still needed is simply reopened on the next send. Once the hellos are through, a
 * {@link LinkClosing} idle goes first, so the far end knows the close for an orderly one too.
 */
final class IdleLinkCloser extends ChannelInboundHandlerAdapter {
    /** Set on a channel closed for idleness, by either end: its peer is not unreachable, only quiet. */
    static final AttributeKey<Boolean> CLOSED_IDLE = AttributeKey.valueOf("epost.closedIdle");
    private static final Logger LOG = LoggerFactory.getLogger(IdleLinkCloser.class);

    static boolean closedIdle(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLOSED_IDLE).get());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.debug("Closing idle overlay link with {}", context.channel().remoteAddress());
            Channel channel = context.channel();
            channel.attr(CLOSED_IDLE).set(true);
            if (channel.attr(LinkHandler.PEER_ID).get() != null) {
                // from the tail, through the encoder and TLS, which sit after this handler
                channel.writeAndFlush(new LinkClosing(LinkClosing.IDLE)).addListener(written -> channel.close());
            } else {
                context.close();
            }
            return;
        }
        super.userEventTriggered(context, event);
    }
}
