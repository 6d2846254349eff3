package org.epost.overlay.node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

/**
 * A stand-alone overlay node (Pastry, PAST, Scribe) in its own process, without James: for multi-process tests and
 * benchmarks of the overlay on a real network.
 *
 * <pre>
 *   OverlayNodeMain --listen HOST:PORT --bootstrap A,B,... --credentials FILE --password-file FILE --store DIR [--quota BYTES]
 * </pre>
 * It prints {@code LISTENING <node id>} once listening and {@code READY} once in a ring, and answers lines on its
 * standard input: {@code status} ({@code STATUS ready=.. leafset=.. ring=..}), {@code held} (one {@code HELD kind:handle}
 * per stored block, then {@code END}), {@code quit}. It stops when its input closes.
 */
public final class OverlayNodeMain {
    private OverlayNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String listen = required(options, "--listen");
        int colon = listen.lastIndexOf(':');
        char[] password = Files.readAllLines(Path.of(required(options, "--password-file"))).get(0).trim().toCharArray();
        NodeCredentials credentials = NodeCredentials.load(Path.of(required(options, "--credentials")), password);
        List<String> bootstrap = options.containsKey("--bootstrap")
            ? Arrays.stream(options.get("--bootstrap").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
            : List.of();
        OverlayNodeConfig config = new OverlayNodeConfig(
            new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))), listen, bootstrap,
            PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES, Path.of(required(options, "--store")),
            StoreConfig.withQuota(Long.parseLong(options.getOrDefault("--quota", String.valueOf(1L << 30)))), PastConfig.defaults());

        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OverlayNode node = OverlayNode.start(credentials, config, new MessageTypes())) {
            out.println("LISTENING " + credentials.nodeId().toHex());
            node.onNodeThread(() -> {
                node.pastry().whenReady(() -> out.println("READY"));
                return null;
            }).get();
            node.join();
            serve(node, out);
        }
    }

    private static void serve(OverlayNode node, PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.trim()) {
                case "status" -> {
                    RingStatus status = node.status().get(30, TimeUnit.SECONDS);
                    out.println("STATUS ready=" + status.ready() + " leafset=" + status.leafSet().size()
                        + " ring=" + status.ringSizeEstimate());
                }
                case "held" -> {
                    List<String> held = new ArrayList<>();
                    node.past().store().forEachInRange(Id.fromHex("0".repeat(40)), Id.fromHex("f".repeat(40)),
                        key -> held.add("HELD " + key.kind() + ":" + key.handle().toHex()));
                    held.forEach(out::println);
                    out.println("END");
                }
                case "quit" -> {
                    return;
                }
                default -> out.println("ERROR unknown command '" + line + "'");
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("usage: OverlayNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE "
                + "--password-file FILE --store DIR [--quota BYTES]; missing " + name);
            System.exit(2);
        }
        return value;
    }
}
