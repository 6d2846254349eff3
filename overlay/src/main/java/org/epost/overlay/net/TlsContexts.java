package org.epost.overlay.net;

import java.util.List;

import javax.net.ssl.SSLException;

import org.epost.overlay.security.NodeCredentials;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * TLS 1.3 with mutual authentication for overlay links: each side presents its CA-signed node certificate and trusts
 * only the organization's CA. Host names are not checked — peers are identified by node id, which the link handler
 * checks against the certificate.
 *
 * <p>ChaCha20-Poly1305 first: the peers run the C1 compiler only, which has no AES or GHASH intrinsics, and there
 * the JDK's ChaCha20-Poly1305 encrypts a 16 KiB record in a third to a sixth of the CPU of AES-GCM. Netty's default
 * list, which peers of earlier versions use, has only the two AES-GCM suites: a link between such a peer and this
 * one still connects, with AES-128-GCM.
 */
final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    static final List<String> CIPHERS = List.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384");

    private TlsContexts() {
    }

    static SslContext server(NodeCredentials credentials) throws SSLException {
        return SslContextBuilder.forServer(credentials.privateKey(), credentials.certificate(), credentials.authority())
            .trustManager(credentials.authority())
            .clientAuth(ClientAuth.REQUIRE)
            .protocols(PROTOCOLS)
            .ciphers(CIPHERS)
            .sslProvider(SslProvider.JDK)
            .build();
    }

    static SslContext client(NodeCredentials credentials) throws SSLException {
        return SslContextBuilder.forClient()
            .keyManager(credentials.privateKey(), credentials.certificate(), credentials.authority())
            .trustManager(credentials.authority())
            .protocols(PROTOCOLS)
            .ciphers(CIPHERS)
            .sslProvider(SslProvider.JDK)
            .build();
    }
}
