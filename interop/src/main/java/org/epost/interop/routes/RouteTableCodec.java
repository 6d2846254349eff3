package org.epost.interop.routes;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The one stored form of a {@link RouteTable}: canonical CBOR {@code [1, domains, users]}, each a list of
 * {@code [name, kind, host, port, protocol]} sorted by name. A reader refuses other versions and non-canonical bytes.
 */
public final class RouteTableCodec {
    public static final int VERSION = 1;
    private static final int MAX_ROUTES = 1_000_000;
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
        (oversized, message, cause) -> new IllegalArgumentException(message, cause);

    private RouteTableCodec() {
    }

    public static byte[] encode(RouteTable table) {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 2, 64 + 64 * (table.domains().size() + table.users().size()));
        writeRoutes(out, table.domains());
        writeRoutes(out, table.users());
        return out.end().toBytes();
    }

    public static RouteTable decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "route table", FAILURES, in -> {
            in.beginRecord(VERSION, "route table");
            Map<String, Route> domains = readRoutes(in);
            Map<String, Route> users = readRoutes(in);
            in.endArray();
            return new RouteTable(domains, users);
        }, RouteTableCodec::encode);
    }

    private static void writeRoutes(CborRecordWriter out, Map<String, Route> routes) {
        out.list(List.copyOf(routes.entrySet()), entry -> out.array(5)
            .text(entry.getKey())
            .number(entry.getValue().kind().ordinal())
            .text(entry.getValue().host())
            .number(entry.getValue().port())
            .number(entry.getValue().protocol().ordinal())
            .end());
    }

    private static Map<String, Route> readRoutes(CborRecordReader<IllegalArgumentException> in) {
        Map<String, Route> routes = new TreeMap<>();
        for (Map.Entry<String, Route> entry : in.list(RouteTableCodec::readEntry, MAX_ROUTES, "routes")) {
            if (routes.put(entry.getKey(), entry.getValue()) != null) {
                throw in.malformed("route for " + entry.getKey() + " twice");
            }
        }
        return routes;
    }

    private static Map.Entry<String, Route> readEntry(CborRecordReader<IllegalArgumentException> in) {
        in.beginArray();
        String name = in.text(1024);
        Route.Kind kind = Route.Kind.values()[in.bounded("route kind", Route.Kind.values().length - 1)];
        String host = in.text(1024);
        int port = in.bounded("port", 65535);
        Route.Protocol protocol = Route.Protocol.values()[in.bounded("protocol", Route.Protocol.values().length - 1)];
        in.endArray();
        return Map.entry(name, new Route(kind, host, port, protocol));
    }
}
