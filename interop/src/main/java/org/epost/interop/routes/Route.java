package org.epost.interop.routes;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where mail for a user goes: into ePOST, or relayed to the legacy mail server at {@code host:port} over SMTP or LMTP
 * (LMTP because legacy stores such as Dovecot and Cyrus take mail from their MTA that way, and a peer can then stand
 * in for that MTA). Immutable.
 */
public record Route(Kind kind, String host, int port, Protocol protocol) {
    public enum Kind { EPOST, LEGACY }

    public enum Protocol { SMTP, LMTP }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:_-]{0,252})");
    private static final Route EPOST = new Route(Kind.EPOST, "", 0, Protocol.SMTP);

    public Route {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        if (kind == Kind.EPOST && (!host.isEmpty() || port != 0 || protocol != Protocol.SMTP)) {
            throw new IllegalArgumentException("an ePOST route has no host, port or protocol");
        }
        if (kind == Kind.LEGACY) {
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("not a host name or address: '" + host + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, not " + port);
            }
        }
    }

    public static Route epost() {
        return EPOST;
    }

    public static Route legacy(String host, int port, Protocol protocol) {
        return new Route(Kind.LEGACY, host, port, protocol);
    }

    public boolean isLegacy() {
        return kind == Kind.LEGACY;
    }

    /** {@code epost} or {@code smtp://host:port} / {@code lmtp://host:port}, for logs and answers. */
    @Override
    public String toString() {
        return kind == Kind.EPOST ? "epost" : protocol.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + port;
    }
}
