package org.epost.overlay.net;

import java.net.InetSocketAddress;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.MessageEncoder;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;

/** A TLS client with a valid certificate that writes whatever a test wants, bypassing the transport's rules. */
final class RawTlsClient {
    private RawTlsClient() {
    }

    /** The end of a test client's pipeline: the server hanging up on it is the expected outcome, not an error. */
    static final class QuietEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }

    /** Connects to a transport on {@code port} of loopback as {@code credentials}; the test then writes (a hello...). */
    static Channel connect(EventLoopGroup io, int port, NodeCredentials credentials, MessageTypes types) throws Exception {
        return connect(io, port, credentials, types, new InetSocketAddress("127.0.0.1", 0));
    }

    /** The same, from {@code local} (another loopback address, to look like another host). */
    static Channel connect(EventLoopGroup io, int port, NodeCredentials credentials, MessageTypes types,
                           InetSocketAddress local) throws Exception {
        SslContext tls = TlsContexts.client(credentials);
        CborMessageCodec codec = new CborMessageCodec(types.register(Hello.TYPE, Hello.class));
        return new Bootstrap().group(io).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()), new MessageEncoder(codec, WireFormat.DEFAULT_MAX_FRAME_BYTES),
                        new QuietEnd());
                }
            })
            .connect(new InetSocketAddress("127.0.0.1", port), local).sync().channel();
    }
}
