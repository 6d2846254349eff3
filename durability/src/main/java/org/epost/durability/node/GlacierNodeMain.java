package org.epost.durability.node;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.durability.params.GlacierParameters;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.NodeConsole;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.sim.CommandLineFlags;
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
 * PAST's blocks go to {@code DIR/blocks}, fragments to {@code DIR/glacier}. Besides the {@link NodeConsole} commands
 * it answers {@code figures} ({@code FIGURES} and Glacier's figures as name=value), {@code fragments} (one
 * {@code FRAGMENT handle:index} per fragment held, then {@code END}) and {@code blocks} (one {@code BLOCK handle} per
 * PAST replica held, then {@code END}).
 */
public final class GlacierNodeMain {
    private static final String USAGE = "usage: GlacierNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE "
        + "--password-file FILE --dir DIR --code N/M [--audit-interval MILLIS]";

    private GlacierNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeCredentials credentials;
        OverlayNodeConfig config;
        GlacierConfig glacierConfig;
        Path dir;
        try {
            CommandLineFlags flags = CommandLineFlags.parse(args, Set.of("--listen", "--bootstrap", "--credentials",
                "--password-file", "--dir", "--code", "--audit-interval"), Set.of());
            credentials = NodeConsole.credentials(flags.required("--credentials"), flags.required("--password-file"));
            dir = Path.of(flags.required("--dir"));
            String[] code = flags.required("--code").split("/");
            if (code.length != 2) {
                throw new IllegalArgumentException("--code is N/M");
            }
            GlacierParameters parameters = new GlacierParameters(Integer.parseInt(code[0]), Integer.parseInt(code[1]),
                GlacierParameters.DEFAULT_REPLICAS, GlacierParameters.DEFAULT_FAIL_FRACTION,
                GlacierParameters.DEFAULT_LOSS_TARGET);
            // Every object coded alone: the process-ring benchmark counts each object's own fragments.
            glacierConfig = GlacierConfig.defaults(parameters).withAuditIntervalMillis(
                flags.longNumber("--audit-interval").orElse(600_000L)).withAggregation(AggregationPolicy.NONE);
            String listen = flags.required("--listen");
            config = new OverlayNodeConfig(NodeConsole.address(listen), listen,
                NodeConsole.bootstrap(flags.text("--bootstrap").orElse("")), PastryConfig.defaults(),
                WireFormat.DEFAULT_MAX_FRAME_BYTES, dir.resolve("blocks"), StoreConfig.withQuota(1L << 30),
                PastConfig.defaults());
        } catch (IllegalArgumentException e) {
            System.err.println(USAGE + "; " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OverlayNode node = OverlayNode.start(credentials, config, GlacierMessageTypes.register(new MessageTypes()));
             GlacierNode glacier = GlacierNode.start(node, dir.resolve("glacier"), glacierConfig, MetricSink.NONE)) {
            NodeConsole console = NodeConsole.of(node, 240);
            console.with("figures", o -> o.println("FIGURES " + line(glacier.figures().get(240, TimeUnit.SECONDS))))
                .with("fragments", o -> {
                    for (Map.Entry<Id, Integer> held : glacier.heldFragments().get(240, TimeUnit.SECONDS)) {
                        o.println("FRAGMENT " + held.getKey().toHex() + ":" + held.getValue());
                    }
                    o.println("END");
                })
                .with("blocks", o -> {
                    console.storedKeys().forEach(key -> o.println("BLOCK " + key.handle().toHex()));
                    o.println("END");
                })
                .run(credentials, System.in, out);
        }
    }

    /** The figures as space-separated name=value pairs. */
    static String line(GlacierFigures f) {
        return "held=" + f.fragmentsHeld() + " bytes=" + f.fragmentBytes() + " stored=" + f.fragmentsStored()
            + " regenerated=" + f.fragmentsRegenerated() + " handedoff=" + f.fragmentsHandedOff() + " bad="
            + f.badFragments() + " rebuilds=" + f.rebuildsSucceeded() + " rebuildsfailed=" + f.rebuildsFailed()
            + " audits=" + f.auditRounds() + " sent=" + f.messagesSent() + " maintenance=" + f.maintenanceMessages();
    }
}
