package org.epost.overlay.node;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
@Command(name = "OverlayNodeMain", description = "A stand-alone overlay node (Pastry, PAST, Scribe), driven on stdin.")
public final class OverlayNodeMain implements Callable<Integer> {
    @Mixin
    private NodeFlags node;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Directory of the PAST block store.")
    private Path store;

    @Option(names = "--quota", paramLabel = "BYTES", description = "Block store quota (default: ${DEFAULT-VALUE}).")
    private long quota = 1L << 30;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new OverlayNodeMain(), args));
    }

    /** The node's configuration as the flags give it. */
    OverlayNodeConfig config() {
        return node.config(store, quota);
    }

    @Override
    public Integer call() throws Exception {
        OverlayNodeConfig config = config();
        NodeCredentials credentials = node.credentials();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OverlayNode overlay = OverlayNode.start(credentials, config, new MessageTypes())) {
            NodeConsole console = NodeConsole.of(overlay, 30);
            console.with("held", o -> {
                console.storedKeys().forEach(key -> o.println("HELD " + key.kind() + ":" + key.handle().toHex()));
                o.println("END");
            }).run(credentials, System.in, out);
        }
        return 0;
    }
}
