package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.netty.Encryption;
import org.epost.overlay.security.NodeCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TLS 1.3 handshake between two in-memory engines, then the one question that matters to offlineimap3: does the
 * server have anything more to send before the client speaks? With James's context as it comes, a NewSessionTicket;
 * with {@link NoPostHandshakeTickets}, nothing.
 */
class NoPostHandshakeTicketsTest {
    private static final char[] PASSWORD = "secret".toCharArray();
    private static KeyStore serverKeys;
    private static KeyStore trusted;

    @BeforeAll
    static void createCertificate() throws Exception {
        KeyPair keys = NodeCertificates.generateKeyPair();
        X509Certificate certificate = NodeCertificates.createAuthority(keys, "imap-test", Instant.now().minusSeconds(60), Duration.ofDays(1));
        serverKeys = KeyStore.getInstance("PKCS12");
        serverKeys.load(null, null);
        serverKeys.setKeyEntry("imap", keys.getPrivate(), PASSWORD, new Certificate[] {certificate});
        trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("imap", certificate);
    }

    @Test
    void jamesContextSendsATicketAfterTheHandshake() throws Exception {
        assertThat(bytesAfterHandshake(serverContext())).isPositive();
    }

    @Test
    void withoutTicketsTheServerIsSilentAfterTheHandshake() throws Exception {
        SSLContext context = serverContext();
        NoPostHandshakeTickets.applyTo(Encryption.createStartTls(context, null, null, ClientAuth.NONE));
        assertThat(bytesAfterHandshake(context)).isZero();
    }

    @Test
    void otherEncryptionsAreLeftAlone() throws Exception {
        NoPostHandshakeTickets.applyTo((Encryption) null);
        SSLContext context = serverContext();
        int before = context.getServerSessionContext().getSessionTimeout();
        NoPostHandshakeTickets.applyTo(StartTlsAfterQueuedWrites.of(Encryption.createStartTls(context, null, null, ClientAuth.NONE)));
        assertThat(context.getServerSessionContext().getSessionTimeout()).isEqualTo(before);
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(serverKeys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext() throws Exception {
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Runs the handshake to its end on both sides, then counts what the server still has to send. */
    private static int bytesAfterHandshake(SSLContext serverContext) throws Exception {
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = clientContext().createSSLEngine("localhost", 143);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        int packet = Math.max(server.getSession().getPacketBufferSize(), client.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50 && !(finished(client) && finished(server)); round++) {
            step(client, toClient, toServer, packet);
            step(server, toServer, toClient, packet);
        }
        assertThat(finished(client) && finished(server)).as("handshake finished").isTrue();
        ByteBuffer out = ByteBuffer.allocate(packet);
        int pending = toClient.position();
        while (true) {
            int produced = server.wrap(ByteBuffer.allocate(0), out).bytesProduced();
            if (produced == 0) {
                return pending;
            }
            pending += produced;
            out.clear();
        }
    }

    private static boolean finished(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** Lets {@code engine} read what reached it and write what it wants to send. */
    private static void step(SSLEngine engine, ByteBuffer inbound, ByteBuffer outbound, int packet) throws SSLException {
        ByteBuffer application = ByteBuffer.allocate(4 * packet);
        inbound.flip();
        while (inbound.hasRemaining() && engine.unwrap(inbound, application).bytesConsumed() > 0) {
            runTasks(engine);
        }
        inbound.compact();
        runTasks(engine);
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            engine.wrap(ByteBuffer.allocate(0), outbound);
            runTasks(engine);
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
