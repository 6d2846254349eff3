package org.epost.peer.imap;

import javax.net.ssl.SSLContext;

import org.apache.james.protocols.netty.Encryption;

/**
 * Keeps the IMAP server's TLS 1.3 connections free of messages the server sends after the handshake: no
 * NewSessionTicket. offlineimap3 (through imaplib2) reads and writes one OpenSSL connection from two threads at
 * once, which OpenSSL does not allow: when the server's ticket arrives just as the client writes its first
 * encrypted command, the reading thread processes the ticket while the writing thread writes, and the command is
 * lost (the server received every byte the client sent, and the command was not among them): both sides then wait
 * for ever. About one connection in ten hung that way on this machine, with or without STARTTLS; with no ticket
 * sent, none in hundreds. Without tickets a client that reconnects makes a full handshake instead of resuming,
 * which costs an IMAP client (a few long connections) nothing it would notice.
 *
 * <p>JDK 17 has no switch for TLS 1.3 tickets alone (JDK 21's {@code jdk.tls.server.newSessionTicketCount} came
 * later); its server sends none when the session context's timeout is beyond the longest ticket lifetime TLS 1.3
 * allows (7 days, RFC 8446 section 4.6.1). The price: TLS 1.2 sessions this server caches (bounded by the
 * context's cache size) may be resumed for that long instead of James's default of a day.
 */
final class NoPostHandshakeTickets {
    /** One second beyond TLS 1.3's longest ticket lifetime. */
    static final int SESSION_TIMEOUT_SECONDS = 7 * 24 * 60 * 60 + 1;

    private NoPostHandshakeTickets() {
    }

    /** Applies to the context of James's own encryption of a server (STARTTLS or implicit TLS); others untouched. */
    static void applyTo(Encryption encryption) {
        if (encryption instanceof Encryption.LegacyJavaEncryption james && james.getContext() != null) {
            applyTo(james.getContext());
        }
    }

    static void applyTo(SSLContext context) {
        context.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
    }
}
