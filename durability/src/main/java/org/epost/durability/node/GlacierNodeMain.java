package org.epost.durability.node;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.epost.durability.glacier.AggregationPolicy;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.durability.params.GlacierParameters;
import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.NodeConsole;
import org.epost.overlay.node.NodeFlags;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
@Command(name = "GlacierNodeMain", description = "A stand-alone node running PAST and Glacier, driven on stdin.")
public final class GlacierNodeMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private NodeFlags node;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "Directory of the node's PAST blocks (DIR/blocks) and fragments (DIR/glacier).")
    private Path dir;

    @Option(names = "--code", required = true, paramLabel = "N/M",
        description = "Erasure code: N fragments, any M of which rebuild an object.")
    private String code;

    @Option(names = "--audit-interval", paramLabel = "MILLIS",
        description = "Milliseconds between audits (default: ${DEFAULT-VALUE}).")
    private long auditIntervalMillis = 600_000L;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new GlacierNodeMain(), args));
    }

    /** Glacier's configuration as {@code --code} and {@code --audit-interval} give it. */
    GlacierConfig glacierConfig() {
        try {
            return GlacierConfig.defaults(GlacierParameters.ofCode(code, GlacierParameters.DEFAULT_FAIL_FRACTION))
                .withAuditIntervalMillis(auditIntervalMillis)
                // Every object coded alone: the process-ring benchmark counts each object's own fragments.
                .withAggregation(AggregationPolicy.NONE);
        } catch (IllegalArgumentException e) {
            throw CommandLines.invalid(spec, e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        GlacierConfig glacierConfig = glacierConfig();
        OverlayNodeConfig config = node.config(dir.resolve("blocks"), 1L << 30);
        NodeCredentials credentials = node.credentials();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OverlayNode overlay = OverlayNode.start(credentials, config, GlacierMessageTypes.register(new MessageTypes()));
             GlacierNode glacier = GlacierNode.start(overlay, dir.resolve("glacier"), glacierConfig, MetricSink.NONE)) {
            NodeConsole console = NodeConsole.of(overlay, 240);
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
        return 0;
    }

    /** The figures as space-separated name=value pairs. */
    static String line(GlacierFigures f) {
        return "held=" + f.fragmentsHeld() + " bytes=" + f.fragmentBytes() + " stored=" + f.fragmentsStored()
            + " regenerated=" + f.fragmentsRegenerated() + " handedoff=" + f.fragmentsHandedOff() + " bad="
            + f.badFragments() + " rebuilds=" + f.rebuildsSucceeded() + " rebuildsfailed=" + f.rebuildsFailed()
            + " audits=" + f.auditRounds() + " sent=" + f.messagesSent() + " maintenance=" + f.maintenanceMessages();
    }
}
