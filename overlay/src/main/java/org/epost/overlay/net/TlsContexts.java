package org.epost.overlay.net;

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
 */
final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private TlsContexts() {
    }

    static SslContext server(NodeCredentials credentials) throws SSLException {
        return SslContextBuilder.forServer(credentials.privateKey(), credentials.certificate(), credentials.authority())
            .trustManager(credentials.authority())
            .clientAuth(ClientAuth.REQUIRE)
            .protocols(PROTOCOLS)
            .sslProvider(SslProvider.JDK)
            .build();
    }

    static SslContext client(NodeCredentials credentials) throws SSLException {
        return SslContextBuilder.forClient()
            .keyManager(credentials.privateKey(), credentials.certificate(), credentials.authority())
            .trustManager(credentials.authority())
            .protocols(PROTOCOLS)
            .sslProvider(SslProvider.JDK)
            .build();
    }
}
