package org.epost.peer.imap;

import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.netty.Encryption;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;

/**
 * James's STARTTLS encryption with one change that {@link OrderedResponseWrites} needs: the TLS handler it adds lets
 * the first write pass in clear ({@link SslHandler}'s {@code startTls} mode, made for this). James answers STARTTLS
 * with "OK Begin TLS negotiation now" and adds the TLS handler in the same event-loop task; since every write now
 * reaches the wire through the ordering executor, that answer arrives at the TLS handler after it was added, and it
 * is the one write that must stay in clear. Implicit TLS (the IMAPS port) is James's own: its handler exists before
 * the greeting is written.
 */
final class StartTlsAfterQueuedWrites implements Encryption {
    private final Encryption james;

    private StartTlsAfterQueuedWrites(Encryption james) {
        this.james = james;
    }

    /** {@code james} itself unless it is a STARTTLS encryption. */
    static Encryption of(Encryption james) {
        return james != null && james.isStartTLS() ? new StartTlsAfterQueuedWrites(james) : james;
    }

    @Override
    public boolean isStartTLS() {
        return true;
    }

    @Override
    public boolean supportsEncryption() {
        return james.supportsEncryption();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return james.getEnabledCipherSuites();
    }

    @Override
    public ClientAuth getClientAuth() {
        return james.getClientAuth();
    }

    /** James's engine (server mode, its protocols, ciphers and client authentication) under a startTls handler. */
    @Override
    public SslHandler sslHandler() {
        return new ClearFirstAnswer(james.sslHandler().engine());
    }

    /**
     * {@link SslHandler}'s startTls mode sends in clear what is pending at the first flush, even when that flush
     * comes before the answer (a flush James issued before adding the handler can reach it after): the answer would
     * then go out encrypted and the client wait for ever. Here flushes and empty writes before the first real write
     * pass by without touching the handler's state.
     */
    static final class ClearFirstAnswer extends SslHandler {
        private boolean answered;

        ClearFirstAnswer(javax.net.ssl.SSLEngine engine) {
            super(engine, true);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (!answered && msg instanceof ByteBuf buffer && !buffer.isReadable()) {
                ctx.write(msg, promise);
                return;
            }
            answered = true;
            super.write(ctx, msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) throws Exception {
            if (!answered) {
                ctx.flush();
                return;
            }
            super.flush(ctx);
        }
    }
}
