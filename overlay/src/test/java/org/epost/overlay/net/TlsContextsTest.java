package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import org.epost.overlay.security.NodeCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/** Which cipher suite overlay links negotiate: real JDK TLS 1.3 engines of the link contexts, handshaking in memory. */
class TlsContextsTest {
    private static final String CHACHA = "TLS_CHACHA20_POLY1305_SHA256";
    private final TlsTestNodes nodes = new TlsTestNodes();
    private final NodeCredentials server = nodes.credentials("server");
    private final NodeCredentials client = nodes.credentials("client");

    @AfterEach
    void close() throws Exception {
        nodes.close();
    }

    @Test
    void twoPeersAgreeOnChaCha20Poly1305() throws Exception {
        SSLEngine[] engines = handshake(TlsContexts.client(client), TlsContexts.server(server));

        assertThat(engines[0].getSession().getCipherSuite()).isEqualTo(CHACHA);
        assertThat(engines[1].getSession().getCipherSuite()).isEqualTo(CHACHA);
    }

    @Test
    void aPeerOfAnEarlierVersionOfferingOnlyAesGcmStillConnectsBothWays() throws Exception {
        SslContext earlierClient = SslContextBuilder.forClient()
            .keyManager(client.privateKey(), client.certificate(), client.authority())
            .trustManager(client.authority()).protocols("TLSv1.3").sslProvider(SslProvider.JDK).build();
        SslContext earlierServer = SslContextBuilder
            .forServer(server.privateKey(), server.certificate(), server.authority())
            .trustManager(server.authority()).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE)
            .protocols("TLSv1.3").sslProvider(SslProvider.JDK).build();

        assertThat(handshake(earlierClient, TlsContexts.server(server))[1].getSession().getCipherSuite())
            .isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(handshake(TlsContexts.client(client), earlierServer)[1].getSession().getCipherSuite())
            .isEqualTo("TLS_AES_128_GCM_SHA256");
    }

    /** Runs a handshake between engines of the two contexts; both have finished it when this returns. */
    private static SSLEngine[] handshake(SslContext clientContext, SslContext serverContext) throws SSLException {
        SSLEngine clientEngine = clientContext.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine serverEngine = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        for (int step = 0; step < 200 && !(done(clientEngine) && done(serverEngine)); step++) {
            step(clientEngine, toClient, toServer);
            step(serverEngine, toServer, toClient);
        }
        assertThat(done(clientEngine) && done(serverEngine)).as("handshake finished").isTrue();
        return new SSLEngine[] {clientEngine, serverEngine};
    }

    private static boolean done(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_TASK) {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        } else if (status == HandshakeStatus.NEED_WRAP) {
            engine.wrap(ByteBuffer.allocate(0), out);
        } else if (status == HandshakeStatus.NEED_UNWRAP && in.position() > 0) {
            in.flip();
            engine.unwrap(in, ByteBuffer.allocate(1 << 17));
            in.compact();
        }
    }
}
