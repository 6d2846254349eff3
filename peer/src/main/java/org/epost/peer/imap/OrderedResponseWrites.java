package org.epost.peer.imap;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Keeps an IMAP connection's output in the order James wrote it. James 3.8.1 writes the responses of a command from
 * whichever thread produces them: the channel's event loop (where a command starts and often ends, with the flush of
 * its last response and tagged status) and the mailbox backend's threads (which produce FETCH results). Netty keeps
 * the order of writes only when they all come from the event loop or all from other threads: a write issued on the
 * event loop runs at once, ahead of writes another thread queued for the event loop moments before. So a command's
 * tail (the {@code )} closing a FETCH response, its {@code OK}) could reach the client before or after bytes of a
 * neighbouring response: clients that pipeline FETCH (mbsync) saw "unexpected tag )".
 *
 * <p>Added last in the pipeline on an executor of its own (one per connection, from the server's group), this handler
 * is where every {@code channel.write}/{@code flush} enters the pipeline; Netty hands such calls to that executor from
 * every thread, the event loop included, so they are queued in the order they were issued, then passed on to the
 * event loop in that same order. Only write and flush pass through here (reads and closes skip this handler).
 */
@ChannelHandler.Sharable
final class OrderedResponseWrites extends ChannelOutboundHandlerAdapter {
    static final String NAME = "epost-ordered-writes";

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
