package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;

/**
 * The race {@link OrderedResponseWrites} closes, replayed deterministically on a real Netty channel: while the event
 * loop is busy, another thread writes "tail-of-A" (Netty queues it for the event loop); then, still inside the same
 * event-loop task, the event loop writes "B" — as James does when a command ends on the event loop while its
 * FETCH results were written from the mailbox's thread.
 */
class OrderedResponseWritesTest {
    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final DefaultEventExecutorGroup ordering = new DefaultEventExecutorGroup(1);
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        ordering.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void writesFromTheEventLoopDoNotOvertakeWritesOtherThreadsIssuedBefore() throws Exception {
        assertThat(race(true)).isEqualTo("tail-of-A|B|");
    }

    @Test
    void withoutItNettyLetsTheEventLoopsWriteOvertake() throws Exception {
        // What James 3.8.1's pipeline does on its own: the reason for the handler.
        assertThat(race(false)).isEqualTo("B|tail-of-A|");
    }

    private String race(boolean ordered) throws Exception {
        LocalAddress address = new LocalAddress("ordered-writes-" + ordered);
        new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
            .childHandler(new ChannelInitializer<LocalChannel>() {
                @Override
                protected void initChannel(LocalChannel channel) {
                    channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                            received.add(msg.toString(StandardCharsets.US_ASCII));
                        }
                    });
                }
            }).bind(address).sync();
        Channel client = new Bootstrap().group(loops).channel(LocalChannel.class)
            .handler(new ChannelInitializer<LocalChannel>() {
                @Override
                protected void initChannel(LocalChannel channel) {
                    if (ordered) {
                        channel.pipeline().addLast(ordering, OrderedResponseWrites.NAME, new OrderedResponseWrites());
                    }
                }
            }).connect(address).sync().channel();

        CountDownLatch otherThreadWrote = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        client.eventLoop().execute(() -> {
            try {
                otherThreadWrote.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.writeAndFlush(text("B|"));
            done.countDown();
        });
        Thread other = new Thread(() -> {
            client.writeAndFlush(text("tail-of-A|"));
            otherThreadWrote.countDown();
        });
        other.start();
        other.join();
        done.await();

        StringBuilder all = new StringBuilder();
        while (all.length() < "tail-of-A|B|".length()) {
            String next = received.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("received so far: " + all).isNotNull();
            all.append(next);
        }
        client.close().sync();
        return all.toString();
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
