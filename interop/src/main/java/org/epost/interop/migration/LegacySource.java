package org.epost.interop.migration;

import java.util.Objects;

/**
 * The legacy IMAP server and the login to read a user's mail there: the user's own password, or a Dovecot master
 * user ({@code user*master} as login with the master password). The password never appears in {@link #toString}.
 */
public record LegacySource(String host, int port, Tls tls, String login, String password) {
    public enum Tls { NONE, STARTTLS, IMPLICIT }

    public LegacySource {
        Objects.requireNonNull(tls, "tls");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("source.host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("source.port must be 1-65535, not " + port);
        }
        if (login == null || login.isBlank()) {
            throw new IllegalArgumentException("source.login is required");
        }
        if (password == null) {
            throw new IllegalArgumentException("source.password is required");
        }
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "imap" + (tls == Tls.IMPLICIT ? "s" : "") + "://" + login + "@" + address() + (tls == Tls.STARTTLS
            ? " (STARTTLS)" : "");
    }
}
