package org.epost.overlay.node;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.sim.CommandLineFlags;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

/**
 * A stand-alone overlay node (Pastry, PAST, Scribe) in its own process, without James: for multi-process tests and
 * benchmarks of the overlay on a real network.
 *
 * <pre>
 *   OverlayNodeMain --listen HOST:PORT --bootstrap A,B,... --credentials FILE --password-file FILE --store DIR [--quota BYTES]
 * </pre>
 * Besides the {@link NodeConsole} commands it answers {@code held}: one {@code HELD kind:handle} per stored block,
 * then {@code END}.
 */
public final class OverlayNodeMain {
    private static final String USAGE = "usage: OverlayNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE "
        + "--password-file FILE --store DIR [--quota BYTES]";

    private OverlayNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineFlags flags;
        NodeCredentials credentials;
        OverlayNodeConfig config;
        try {
            flags = CommandLineFlags.parse(args,
                Set.of("--listen", "--bootstrap", "--credentials", "--password-file", "--store", "--quota"), Set.of());
            credentials = NodeConsole.credentials(flags.required("--credentials"), flags.required("--password-file"));
            String listen = flags.required("--listen");
            config = new OverlayNodeConfig(NodeConsole.address(listen), listen,
                NodeConsole.bootstrap(flags.text("--bootstrap").orElse("")), PastryConfig.defaults(),
                WireFormat.DEFAULT_MAX_FRAME_BYTES, Path.of(flags.required("--store")),
                StoreConfig.withQuota(flags.longNumber("--quota").orElse(1L << 30)), PastConfig.defaults());
        } catch (IllegalArgumentException e) {
            System.err.println(USAGE + "; " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OverlayNode node = OverlayNode.start(credentials, config, new MessageTypes())) {
            NodeConsole console = NodeConsole.of(node, 30);
            console.with("held", o -> {
                console.storedKeys().forEach(key -> o.println("HELD " + key.kind() + ":" + key.handle().toHex()));
                o.println("END");
            }).run(credentials, System.in, out);
        }
    }
}
