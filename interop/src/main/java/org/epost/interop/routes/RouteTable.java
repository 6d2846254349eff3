package org.epost.interop.routes;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The peer's split-delivery routes: a default per domain and routes per user, a user's own route winning. A domain
 * without a default and a user without a route go to ePOST, so a peer without routes delivers as before. Addresses
 * and domains are kept in lower case (mail domains and, on James, local parts compare case-insensitively). Immutable:
 * every change gives a new table.
 */
public record RouteTable(Map<String, Route> domains, Map<String, Route> users) {
    private static final RouteTable EMPTY = new RouteTable(Map.of(), Map.of());

    /** Where a route came from, for answers that explain a user's effective route. */
    public enum Source { USER, DOMAIN, DEFAULT }

    public record Resolved(Route route, Source source) {
    }

    public RouteTable {
        domains = sortedCopy(domains);
        users = sortedCopy(users);
        users.keySet().forEach(RouteTable::requireAddress);
    }

    public static RouteTable empty() {
        return EMPTY;
    }

    /** The route of {@code address}; something that is not a mail address has no route of its own: ePOST's. */
    public Resolved resolve(String address) {
        String user = address.toLowerCase(Locale.ROOT);
        if (user.lastIndexOf('@') <= 0) {
            return new Resolved(Route.epost(), Source.DEFAULT);
        }
        Route own = users.get(user);
        if (own != null) {
            return new Resolved(own, Source.USER);
        }
        Route domain = domains.get(user.substring(user.lastIndexOf('@') + 1));
        return domain != null ? new Resolved(domain, Source.DOMAIN) : new Resolved(Route.epost(), Source.DEFAULT);
    }

    public Route routeOf(String address) {
        return resolve(address).route();
    }

    public RouteTable withUser(String address, Optional<Route> route) {
        Map<String, Route> changed = new TreeMap<>(users);
        route.ifPresentOrElse(r -> changed.put(normalize(address), r), () -> changed.remove(normalize(address)));
        return new RouteTable(domains, changed);
    }

    public RouteTable withDomain(String domain, Optional<Route> route) {
        Map<String, Route> changed = new TreeMap<>(domains);
        String key = domain.toLowerCase(Locale.ROOT);
        route.ifPresentOrElse(r -> changed.put(key, r), () -> changed.remove(key));
        return new RouteTable(changed, users);
    }

    static String normalize(String address) {
        return requireAddress(address.toLowerCase(Locale.ROOT));
    }

    private static String requireAddress(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not a mail address: '" + address + "'");
        }
        return address;
    }

    private static Map<String, Route> sortedCopy(Map<String, Route> routes) {
        Map<String, Route> copy = new TreeMap<>();
        Objects.requireNonNull(routes, "routes").forEach((key, route) ->
            copy.put(key.toLowerCase(Locale.ROOT), Objects.requireNonNull(route, "route of " + key)));
        return Collections.unmodifiableMap(copy);
    }
}
