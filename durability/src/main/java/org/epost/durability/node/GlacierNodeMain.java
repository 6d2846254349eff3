package org.epost.durability.node;

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

import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.durability.params.GlacierParameters;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

/**
 * A stand-alone overlay node running PAST and Glacier in its own process, without James: the node processes of the
 * Glacier ring benchmark ({@link GlacierProcessRing}).
 *
 * <pre>
 *   GlacierNodeMain --listen HOST:PORT --bootstrap A,B,... --credentials FILE --password-file FILE --dir DIR
 *                   --code N/M [--audit-interval MILLIS]
 * </pre>
 * PAST's blocks go to {@code DIR/blocks}, fragments to {@code DIR/glacier}. It prints {@code LISTENING <node id>} once
 * listening and {@code READY} once in a ring, and answers lines on its standard input: {@code status}
 * ({@code STATUS ready=.. leafset=.. ring=..}), {@code figures} ({@code FIGURES} and Glacier's figures as
 * name=value), {@code fragments} (one {@code FRAGMENT handle:index} per fragment held, then {@code END}),
 * {@code blocks} (one {@code BLOCK handle} per PAST replica held, then {@code END}), {@code quit}. It stops when its
 * input closes.
 */
public final class GlacierNodeMain {
    private GlacierNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String listen = required(options, "--listen");
        int colon = listen.lastIndexOf(':');
        char[] password = Files.readAllLines(Path.of(required(options, "--password-file"))).get(0).trim().toCharArray();
        NodeCredentials credentials = NodeCredentials.load(Path.of(required(options, "--credentials")), password);
        List<String> bootstrap = Arrays.stream(options.getOrDefault("--bootstrap", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
        Path dir = Path.of(required(options, "--dir"));
        String[] code = required(options, "--code").split("/");
        GlacierParameters parameters = new GlacierParameters(Integer.parseInt(code[0]), Integer.parseInt(code[1]),
            GlacierParameters.DEFAULT_REPLICAS, GlacierParameters.DEFAULT_FAIL_FRACTION,
            GlacierParameters.DEFAULT_LOSS_TARGET);
        GlacierConfig glacierConfig = GlacierConfig.defaults(parameters).withAuditIntervalMillis(
            Long.parseLong(options.getOrDefault("--audit-interval", "600000")));
        OverlayNodeConfig config = new OverlayNodeConfig(
            new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))), listen,
            bootstrap, PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES, dir.resolve("blocks"),
            StoreConfig.withQuota(1L << 30), PastConfig.defaults());

        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OverlayNode node = OverlayNode.start(credentials, config, GlacierMessageTypes.register(new MessageTypes()));
             GlacierNode glacier = GlacierNode.start(node, dir.resolve("glacier"), glacierConfig, MetricSink.NONE)) {
            out.println("LISTENING " + credentials.nodeId().toHex());
            node.onNodeThread(() -> {
                node.pastry().whenReady(() -> out.println("READY"));
                return null;
            }).get();
            node.join();
            serve(node, glacier, out);
        }
    }

    private static void serve(OverlayNode node, GlacierNode glacier, PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.trim()) {
                case "status" -> {
                    RingStatus status = node.status().get(240, TimeUnit.SECONDS);
                    out.println("STATUS ready=" + status.ready() + " leafset=" + status.leafSet().size()
                        + " ring=" + status.ringSizeEstimate());
                }
                case "figures" -> out.println("FIGURES " + line(glacier.figures().get(240, TimeUnit.SECONDS)));
                case "fragments" -> {
                    for (Map.Entry<Id, Integer> held : glacier.heldFragments().get(240, TimeUnit.SECONDS)) {
                        out.println("FRAGMENT " + held.getKey().toHex() + ":" + held.getValue());
                    }
                    out.println("END");
                }
                case "blocks" -> {
                    List<String> held = new ArrayList<>();
                    node.past().store().forEachInRange(Id.fromHex("0".repeat(40)), Id.fromHex("f".repeat(40)),
                        key -> held.add("BLOCK " + key.handle().toHex()));
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

    /** The figures as space-separated name=value pairs. */
    static String line(GlacierFigures f) {
        return "held=" + f.fragmentsHeld() + " bytes=" + f.fragmentBytes() + " stored=" + f.fragmentsStored()
            + " regenerated=" + f.fragmentsRegenerated() + " handedoff=" + f.fragmentsHandedOff() + " bad="
            + f.badFragments() + " rebuilds=" + f.rebuildsSucceeded() + " rebuildsfailed=" + f.rebuildsFailed()
            + " audits=" + f.auditRounds() + " sent=" + f.messagesSent() + " maintenance=" + f.maintenanceMessages();
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("usage: GlacierNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE "
                + "--password-file FILE --dir DIR --code N/M [--audit-interval MILLIS]; missing " + name);
            System.exit(2);
        }
        return value;
    }
}
