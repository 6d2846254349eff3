package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.netty.Encryption;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;

class StartTlsAfterQueuedWritesTest {
    @Test
    void theAnswerToStarttlsWrittenAfterTheHandlerWasAddedLeavesInClearAndTheNextWriteDoesNot() throws Exception {
        Encryption ours = StartTlsAfterQueuedWrites.of(new JamesEncryption(true));
        SslHandler handler = ours.sslHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);

        channel.writeOutbound(text("S OK Begin TLS negotiation now.\r\n"));
        ByteBuf first = channel.readOutbound();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("S OK Begin TLS negotiation now.\r\n");

        channel.writeAndFlush(text("* secret\r\n"));
        ByteBuf next = channel.readOutbound();
        assertThat(next == null || !next.toString(StandardCharsets.US_ASCII).contains("secret"))
            .as("later writes wait for the handshake and are encrypted").isTrue();
        assertThat(handler.engine().getUseClientMode()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFlushOrAnEmptyWriteReachingTheHandlerBeforeTheAnswerDoesNotMakeTheAnswerEncrypted() throws Exception {
        SslHandler handler = StartTlsAfterQueuedWrites.of(new JamesEncryption(true)).sslHandler();
        EmbeddedChannel channel = new EmbeddedChannel(handler);

        channel.flush();
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        channel.writeAndFlush(text("S OK Begin TLS negotiation now.\r\n"));

        StringBuilder clear = new StringBuilder();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            clear.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        assertThat(clear.toString()).isEqualTo("S OK Begin TLS negotiation now.\r\n");
        channel.finishAndReleaseAll();
    }

    @Test
    void implicitTlsAndNoTlsAreJamesOwn() throws Exception {
        Encryption implicit = new JamesEncryption(false);
        assertThat(StartTlsAfterQueuedWrites.of(implicit)).isSameAs(implicit);
        assertThat(StartTlsAfterQueuedWrites.of(null)).isNull();
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** What James's encryption hands out: a server-mode engine in a plain TLS handler. */
    private record JamesEncryption(boolean startTls) implements Encryption {
        @Override
        public boolean isStartTLS() {
            return startTls;
        }

        @Override
        public boolean supportsEncryption() {
            return true;
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return new String[0];
        }

        @Override
        public ClientAuth getClientAuth() {
            return ClientAuth.NONE;
        }

        @Override
        public SslHandler sslHandler() {
            try {
                SSLEngine engine = SSLContext.getDefault().createSSLEngine();
                engine.setUseClientMode(false);
                return new SslHandler(engine);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
