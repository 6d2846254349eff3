package org.epost.peer.imap.framing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.main.DefaultImapDecoderFactory;
import org.apache.james.imap.message.Literal;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.imapserver.netty.NettyImapSession;
import org.apache.james.imapserver.netty.SwitchableLineBasedFrameDecoder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * One IMAP connection at the Netty level: an {@link EmbeddedChannel} with a request decoder (ePOST's, or James
 * 3.8.1's line framer and frame decoder), James's real command parsers and a real James session; the messages that
 * would reach James's core handler are collected. Each {@link #read} is one network read.
 */
final class DecoderHarness {
    static final int MAX_LINE = 65536;

    final EmbeddedChannel channel;
    final NettyImapSession session;
    final List<Object> decoded = new ArrayList<>();

    private DecoderHarness(Consumer<ChannelPipeline> decoderStages) {
        this(true, decoderStages);
    }

    private DecoderHarness(boolean authenticated, Consumer<ChannelPipeline> decoderStages) {
        // Registered only once the pipeline is complete, as Netty does: James's decoder needs its channelActive.
        channel = new EmbeddedChannel(false, false);
        session = new NettyImapSession(channel, null, false, false, true, ImapSession.SessionId.generate(), Optional.empty());
        if (authenticated) {
            session.authenticated();
        }
        channel.attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).set(session);
        decoderStages.accept(channel.pipeline());
        channel.pipeline().addLast(NettyConstants.CORE_HANDLER, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                decoded.add(msg);
            }
        });
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ImapDecoder jamesParsers() {
        return DefaultImapDecoderFactory.createDecoder();
    }

    /** ePOST's decoder with {@code limits}, literals beyond memory in {@code spool}, with room for any number. */
    static DecoderHarness epost(FramingLimits limits, Path spool) {
        return epost(limits, new LiteralScratch(spool, Long.MAX_VALUE));
    }

    /** ePOST's decoder with {@code limits}, literals beyond memory in {@code scratch} (shared by its connections). */
    static DecoderHarness epost(FramingLimits limits, LiteralScratch scratch) {
        return new DecoderHarness(pipeline -> pipeline.addLast(NettyConstants.REQUEST_DECODER,
            new FramingImapRequestDecoder(jamesParsers(), limits, scratch)));
    }

    /** The same, on a connection whose user has not logged in yet (LOGIN is valid only then). */
    static DecoderHarness epostBeforeLogin(FramingLimits limits, Path spool) {
        return new DecoderHarness(false, pipeline -> pipeline.addLast(NettyConstants.REQUEST_DECODER,
            new FramingImapRequestDecoder(jamesParsers(), limits, new LiteralScratch(spool, Long.MAX_VALUE))));
    }

    static FramingLimits limits(int inMemory, int maxLiteral) {
        return new FramingLimits(MAX_LINE, 4 * MAX_LINE, inMemory, maxLiteral);
    }

    /** James 3.8.1's pipeline as its IMAPServer builds it (the framer, then ImapRequestFrameDecoder). */
    static DecoderHarness stockJames() {
        return new DecoderHarness(pipeline -> {
            pipeline.addLast(NettyConstants.FRAMER, new SwitchableLineBasedFrameDecoder(pipeline, MAX_LINE, false));
            pipeline.addLast(NettyConstants.REQUEST_DECODER, new ImapRequestFrameDecoder(jamesParsers(), 10 * 1024 * 1024, 0, MAX_LINE));
        });
    }

    DecoderHarness read(String octets) {
        return read(octets.getBytes(StandardCharsets.ISO_8859_1));
    }

    DecoderHarness read(byte[] octets) {
        channel.writeInbound(Unpooled.wrappedBuffer(octets));
        channel.runPendingTasks();
        return this;
    }

    /** Sends {@code octets} one octet per read: the worst split a network can make. */
    DecoderHarness readOctetByOctet(String octets) {
        for (byte b : octets.getBytes(StandardCharsets.ISO_8859_1)) {
            read(new byte[] {b});
        }
        return this;
    }

    /** Everything written back to the client so far (continuation requests, BADs of closed connections). */
    String written() {
        StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    List<AppendRequest> appends() {
        return decoded.stream().filter(AppendRequest.class::isInstance).map(AppendRequest.class::cast).toList();
    }

    List<StatusResponse> responses() {
        return decoded.stream().filter(StatusResponse.class::isInstance).map(StatusResponse.class::cast).toList();
    }

    static String content(Literal literal) {
        try (InputStream in = literal.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String tag(Object message) {
        if (message instanceof StatusResponse response) {
            return response.getTag() == null ? null : response.getTag().asString();
        }
        return ((org.apache.james.imap.message.request.AbstractImapRequest) message).getTag().asString();
    }

    /** An APPEND of {@code body} as mbsync sends it: a LITERAL+ literal, CRLF after it. */
    static String appendPlus(String tag, String mailbox, String body) {
        return tag + " APPEND " + mailbox + " {" + body.length() + "+}\r\n" + body + "\r\n";
    }
}
