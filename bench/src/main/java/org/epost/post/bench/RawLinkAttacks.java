package org.epost.post.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.WireFormat;

/**
 * The hostile node's attacks below the overlay protocol, on the victim's overlay port over real TLS links with the
 * node's valid certificate (the victim accepts the handshake): garbage and oversized frames, and many idle links.
 * Each method runs until {@code running} turns false and counts what it did in {@link AttackFigures}.
 */
final class RawLinkAttacks {
    private final InetSocketAddress victim;
    private final SSLContext tls;
    private final AttackFigures figures;
    private final Random random = new Random();

    RawLinkAttacks(InetSocketAddress victim, NodeCredentials credentials, AttackFigures figures)
            throws GeneralSecurityException, IOException {
        this.victim = victim;
        this.figures = figures;
        this.tls = context(credentials);
    }

    /**
     * One connection after another, each sending one kind of bad input: a length header beyond any frame limit, a
     * frame of the maximal size with a wrong version, random CBOR in a valid frame, and (without TLS) plain garbage.
     * Counted: connections the victim closed, and those it still held after 10 s (left to its idle timeout).
     */
    void garbage(BooleanSupplier running) {
        int kind = 0;
        while (running.getAsBoolean()) {
            try (Socket socket = kind % 4 == 3 ? new Socket() : tls.getSocketFactory().createSocket()) {
                socket.connect(victim, 5_000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                byte[] payload = switch (kind % 4) {
                    case 0 -> ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE - 1).array();
                    case 1 -> frame((byte) 99, WireFormat.DEFAULT_MAX_FRAME_BYTES - 1);
                    case 2 -> frame(WireFormat.VERSION, 64 * 1024);
                    default -> randomBytes(64 * 1024);
                };
                out.write(payload);
                out.flush();
                figures.sent(payload.length);
                figures.count(awaitClose(socket.getInputStream()) ? "closed-by-victim" : "left-open-10s");
            } catch (IOException e) {
                figures.count("closed-by-victim");
            }
            kind++;
        }
    }

    /**
     * Opens TLS links (completed handshakes, then silence) up to {@code max} and holds them; every second checks
     * which ones the victim closed. Counted: opened, closed by the victim, refused (connect or handshake failed).
     */
    void connections(BooleanSupplier running, int max) throws InterruptedException {
        List<SSLSocket> open = new ArrayList<>();
        long nextSweep = System.currentTimeMillis() + 1_000;
        try {
            while (running.getAsBoolean()) {
                if (open.size() < max) {
                    try {
                        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
                        socket.connect(victim, 5_000);
                        socket.setSoTimeout(5_000);
                        socket.startHandshake();
                        open.add(socket);
                        figures.count("opened");
                    } catch (IOException e) {
                        figures.count("refused");
                    }
                } else {
                    Thread.sleep(200);
                }
                if (System.currentTimeMillis() >= nextSweep) {
                    open.removeIf(this::closedByVictim);
                    figures.gauge("held", open.size());
                    nextSweep = System.currentTimeMillis() + 1_000;
                }
            }
        } finally {
            for (SSLSocket socket : open) {
                closeQuietly(socket);
            }
        }
    }

    private boolean closedByVictim(SSLSocket socket) {
        try {
            socket.setSoTimeout(1);
            if (socket.getInputStream().read() < 0) {
                figures.count("closed-by-victim");
                closeQuietly(socket);
                return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            figures.count("closed-by-victim");
            closeQuietly(socket);
            return true;
        }
    }

    private static boolean awaitClose(InputStream in) {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // the victim owes us nothing: read until it closes
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private byte[] frame(byte version, int length) {
        byte[] bytes = randomBytes(WireFormat.LENGTH_BYTES + length);
        ByteBuffer.wrap(bytes).putInt(length).put(version);
        return bytes;
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** The JDK's TLS with the node's key and certificate, trusting the organization's CA only (as the ring does). */
    private static SSLContext context(NodeCredentials credentials) throws GeneralSecurityException, IOException {
        char[] none = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", credentials.privateKey(), none,
            new Certificate[] {credentials.certificate(), credentials.authority()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, none);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", credentials.authority());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
