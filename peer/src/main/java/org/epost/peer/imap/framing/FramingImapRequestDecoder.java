package org.epost.peer.imap.framing;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.protocols.netty.LineHandlerAware;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The request decoder of ePOST's IMAP pipeline, in place of James 3.8.1's line framer and
 * {@code ImapRequestFrameDecoder} (both removed by {@code EpostImapServer}): the {@link ImapCommandFramer} cuts the
 * octets into whole commands, James's own {@link ImapDecoder} parses each one, and the result goes on to James's
 * core handler as before. Registered under James's name {@code requestDecoder}, where James's session looks for
 * the {@link LineHandlerAware} that IDLE and AUTHENTICATE use.
 *
 * <p>Besides framing it keeps the two duties of the handlers it replaces: lines go to a pushed line handler (IDLE's
 * DONE, AUTHENTICATE's responses) one at a time, and nothing may follow STARTTLS before TLS is up (command
 * injection, CVE-2011-0411 style: James's {@code AllButStartTlsLineBasedChannelHandler} closes such connections,
 * and so does this one).
 */
public final class FramingImapRequestDecoder extends ByteToMessageDecoder implements LineHandlerAware {
    private static final byte[] CONTINUATION_REQUEST = "+ Ok\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final UnpooledStatusResponseFactory RESPONSES = new UnpooledStatusResponseFactory();

    private final ImapDecoder decoder;
    private final FramingLimits limits;
    private final ImapCommandFramer framer;
    /** Pushed by the processors (from other threads) while a command runs, read here by the event loop. */
    private final Deque<ChannelInboundHandlerAdapter> lineHandlers = new ConcurrentLinkedDeque<>();
    /**
     * Literal files of the requests handed to James that James has not closed yet. James closes a request when its
     * processing completes or fails, but when the connection closes it cancels the one in flight, and then nobody
     * would: the file would stay and its room in the peer's scratch budget would be lost for good.
     */
    private final List<SpilledLiteral> handedOver = new ArrayList<>();
    /** STARTTLS was framed and TLS is not up yet: any octet now is plaintext injected before the handshake. */
    private boolean startTlsPending;
    private boolean closing;

    public FramingImapRequestDecoder(ImapDecoder decoder, FramingLimits limits, LiteralScratch scratch) {
        this.decoder = decoder;
        this.limits = limits;
        this.framer = new ImapCommandFramer(limits, scratch);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        if (startTlsPending) {
            if (session != null && session.needsCommandInjectionDetection()) {
                close(ctx, in, "Octets received after STARTTLS before the TLS handshake", null);
                return;
            }
            startTlsPending = false;
        }
        ChannelInboundHandlerAdapter lineHandler = lineHandlers.peekFirst();
        if (lineHandler != null && framer.atCommandStart()) {
            passLine(ctx, in, lineHandler);
            return;
        }
        FrameEvent event = framer.next(in);
        if (event instanceof FrameEvent.ContinuationRequest) {
            ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(CONTINUATION_REQUEST));
        } else if (event instanceof FrameEvent.Rejected rejected) {
            FramingLog.LOGGER.info("IMAP command of {} refused: {}", ctx.channel().remoteAddress(), rejected.reason());
            out.add(rejected.tag() == null
                ? RESPONSES.untaggedBad(new HumanReadableText("org.epost.imap.framing", rejected.reason()))
                : RESPONSES.taggedBad(new Tag(rejected.tag()), null, new HumanReadableText("org.epost.imap.framing", rejected.reason())));
        } else if (event instanceof FrameEvent.Declined declined) {
            FramingLog.LOGGER.info("IMAP command of {} refused: {}", ctx.channel().remoteAddress(), declined.reason());
            // James 3.8.1 has no TOOBIG (RFC 4469, used by RFC 7889's APPENDLIMIT) nor LIMIT response code and makes
            // no others: the code leads the text, which puts the same bytes on the wire
            HumanReadableText text = new HumanReadableText("org.epost.imap.framing",
                "[" + declined.code() + "] " + declined.reason());
            out.add(declined.tag() == null ? RESPONSES.untaggedNo(text) : RESPONSES.taggedNo(new Tag(declined.tag()), null, text));
        } else if (event instanceof FrameEvent.Fatal fatal) {
            close(ctx, in, fatal.reason(), fatal.tag());
        } else if (event instanceof FrameEvent.Command command) {
            decodeCommand(ctx, in, out, session, command.command());
        }
    }

    private void decodeCommand(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, ImapSession session, FramedCommand command) {
        if (session == null || session.getState() == ImapSessionState.LOGOUT) {
            // As James does: the session is gone or logged out, so the rest of what the client sent is not read.
            command.close(false);
            closing = true;
            in.skipBytes(in.readableBytes());
            ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (session.needsCommandInjectionDetection() && isStartTls(command)) {
            if (in.isReadable()) {
                command.close(false);
                close(ctx, in, "Octets pipelined after STARTTLS", null);
                return;
            }
            startTlsPending = true;
        }
        boolean owned = false;
        try {
            ImapMessage message = decoder.decode(new FramedCommandReader(command), session);
            // James's APPEND request closes (deletes) its message literal once processed; nothing else does.
            owned = message instanceof Closeable;
            if (owned) {
                handedOver.removeIf(SpilledLiteral::closed);
                handedOver.addAll(command.spilledTaken());
            }
            out.add(message);
        } finally {
            command.close(owned);
        }
    }

    /** Hands one line to the line handler James pushed; literals mean nothing to it. */
    private void passLine(ChannelHandlerContext ctx, ByteBuf in, ChannelInboundHandlerAdapter lineHandler) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        int length;
        if (lf >= 0) {
            length = lf + 1 - in.readerIndex();
        } else if (in.readableBytes() >= limits.maxLineLength()) {
            length = limits.maxLineLength();   // an endless line: the handler gets it in pieces and refuses them
        } else {
            return;
        }
        try {
            lineHandler.channelRead(ctx, in.readSlice(length));
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    private static boolean isStartTls(FramedCommand command) {
        String line = command.firstLine().trim().toLowerCase(Locale.US);
        int space = line.indexOf(' ');
        return space > 0 && line.substring(space + 1).trim().equals("starttls");
    }

    /** Answers a tagged BAD (if the tag is known), closes the connection and reads nothing more from it. */
    private void close(ChannelHandlerContext ctx, ByteBuf in, String reason, String tag) {
        FramingLog.LOGGER.warn("Closing the IMAP connection of {}: {}", ctx.channel().remoteAddress(), reason);
        closing = true;
        framer.close();
        in.skipBytes(in.readableBytes());
        String answer = (tag == null ? "* BYE " : tag + " BAD ") + reason + "\r\n";
        ctx.channel().writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        framer.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        framer.close();
        try {
            super.channelInactive(ctx);   // James cancels the request in flight
        } finally {
            // an APPEND still reading its file fails (a new read finds no file), nothing half-stored: the client is gone
            handedOver.forEach(SpilledLiteral::close);
            handedOver.clear();
        }
    }

    @Override
    public void pushLineHandler(ChannelInboundHandlerAdapter lineHandler) {
        lineHandlers.addFirst(lineHandler);
    }

    @Override
    public void popLineHandler() {
        lineHandlers.pollFirst();
    }
}
