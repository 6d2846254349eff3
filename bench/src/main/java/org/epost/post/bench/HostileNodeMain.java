package org.epost.post.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.id.Id;
import org.epost.overlay.node.NodeConsole;
import org.epost.overlay.node.NodeFlags;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyMessageTypes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A hostile overlay node for the attack harness ({@code it-tests/bench/attack_bench.py}, issue #15): it holds a valid
 * node certificate of the ring's organization, joins the ring over real TLS links, and for {@code --seconds} floods
 * one victim peer with one kind of attack, then prints what it sent as one JSON line and exits.
 *
 * <pre>
 *   HostileNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE --password-file FILE --store DIR
 *                   --victim HOST:PORT --attack delegate|scribe|past|garbage|connections|hello-links
 *                   [--seconds 180] [--pause-millis 100] [--connections 2000] [--identities DIR]
 *                   [--links-per-identity 4]
 * </pre>
 * delegate: notifications to keep, boxes up to the frame limit, half as copies from a fellow delegate and half as
 * the root; scribe: joins to new random groups; past: inserts of 1 MiB blocks (most land on the victim, k = 3 of a
 * ring of four); garbage and connections: see {@link RawLinkAttacks}; hello-links: {@link HelloLinkAttack} with the
 * node certificates in {@code --identities} (*.p12, the same password).
 */
@Command(name = "HostileNodeMain", description = "A hostile overlay node: joins the ring and floods one victim peer"
    + " with one kind of attack, then prints what it sent as one JSON line.")
public final class HostileNodeMain implements Callable<Integer> {
    private static final Set<String> ATTACKS = Set.of("delegate", "scribe", "past", "garbage", "connections",
        "hello-links");
    /** Room in a frame for the delegation's other fields and the message envelope. */
    private static final int FRAME_ROOM_BYTES = 16 * 1024;
    private static final int CONCURRENT_INSERTS = 4;
    /** The ring's users (`epost-ring`): a delegate keeps a notification only for a user whose certificate it finds. */
    private static final String[] RECIPIENTS = {"alice@epost.test", "bob@epost.test", "carol@epost.test"};

    @Spec
    private CommandSpec spec;

    @Mixin
    private NodeFlags flags;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Directory of the PAST block store.")
    private Path store;

    @Option(names = "--victim", required = true, paramLabel = "HOST:PORT", description = "The peer attacked.")
    private String victimAddress;

    @Option(names = "--attack", required = true, paramLabel = "KIND",
        description = "delegate, scribe, past, garbage, connections or hello-links.")
    private String attack;

    @Option(names = "--seconds", paramLabel = "S", description = "How long the attack lasts (default: ${DEFAULT-VALUE}).")
    private long seconds = 180;

    @Option(names = "--pause-millis", paramLabel = "MILLIS",
        description = "Pause between delegate or scribe bursts (default: ${DEFAULT-VALUE}).")
    private long pause = 100;

    @Option(names = "--connections", paramLabel = "C",
        description = "Connections the connections attack opens (default: ${DEFAULT-VALUE}).")
    private int connections = 2000;

    @Option(names = "--identities", paramLabel = "DIR",
        description = "Node certificates (*.p12, unlocked by --password-file) the hello-links attack presents.")
    private Path identities;

    @Option(names = "--links-per-identity", paramLabel = "N",
        description = "Links the hello-links attack holds per certificate (default: ${DEFAULT-VALUE}).")
    private int linksPerIdentity = 4;

    private final AttackFigures figures = new AttackFigures();
    private final Random random = new Random(new SecureRandom().nextLong());
    private OverlayNode node;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new HostileNodeMain(), args));
    }

    /** The node's configuration, after checking the flags the option types do not: a bad one is a usage error. */
    OverlayNodeConfig config() {
        if (!ATTACKS.contains(attack)) {
            throw CommandLines.invalid(spec, "unknown --attack " + attack + "; one of " + new TreeSet<>(ATTACKS));
        }
        if (!flags.joinsARing()) {
            throw CommandLines.invalid(spec, "missing --bootstrap: a hostile node joins an existing ring");
        }
        flags.address(victimAddress);
        return flags.config(store, 1L << 30);
    }

    @Override
    public Integer call() throws Exception {
        OverlayNodeConfig config = config();
        NodeCredentials credentials = flags.credentials();
        MessageTypes types = new MessageTypes();
        NotifyMessageTypes.register(types);
        try (OverlayNode started = OverlayNode.start(credentials, config, types)) {
            node = started;
            Endpoint notify = node.onNodeThread(() -> node.pastry().registerApplication(NotificationService.APPLICATION,
                new Silent())).get(30, TimeUnit.SECONDS);
            node.join();
            NodeHandle victim = awaitVictim(victimAddress);
            long end = System.currentTimeMillis() + seconds * 1000;
            BooleanSupplier running = () -> System.currentTimeMillis() < end;
            RawLinkAttacks raw = new RawLinkAttacks(flags.address(victimAddress), credentials, figures);
            switch (attack) {
                case "delegate" -> delegations(notify, victim, running, pause);
                case "scribe" -> scribeJoins(running, pause);
                case "past" -> pastInserts(running);
                case "garbage" -> raw.garbage(running);
                case "hello-links" -> new HelloLinkAttack(victim, identities(), linksPerIdentity, figures).run(running);
                default -> raw.connections(running, connections);
            }
            System.out.println(figures.json(attack, seconds));
        }
        return 0;
    }

    /** The certificates of the hello-links attack: every *.p12 of {@code --identities}. */
    private List<NodeCredentials> identities() throws IOException {
        if (identities == null) {
            throw CommandLines.invalid(spec, "the hello-links attack needs --identities DIR");
        }
        List<NodeCredentials> loaded = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(identities, "*.p12")) {
            for (Path file : files) {
                loaded.add(NodeConsole.credentials(file.toString(), flags.passwordFile()));
            }
        }
        return loaded;
    }

    /** Waits (up to two minutes) until the victim is in this node's leaf set, i.e. the join went through. */
    private NodeHandle awaitVictim(String address) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<NodeHandle> victim = node.onNodeThread(() -> node.pastry().leafSet().members().stream()
                .filter(h -> h.address().equals(address)).findFirst()).get(30, TimeUnit.SECONDS);
            if (victim.isPresent()) {
                return victim.get();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the victim " + address + " never showed up in the leaf set");
    }

    private void delegations(Endpoint notify, NodeHandle victim, BooleanSupplier running, long pause) throws Exception {
        NodeHandle self = node.pastry().localHandle();
        int boxBytes = WireFormat.DEFAULT_MAX_FRAME_BYTES - FRAME_ROOM_BYTES;
        long n = 0;
        while (running.getAsBoolean()) {
            byte[] id = new byte[Notification.ID_BYTES];
            random.nextBytes(id);
            byte[] box = new byte[n % 4 == 0 ? boxBytes : 1 + random.nextInt(boxBytes)];
            random.nextBytes(box);
            NotifyDelegate delegation = new NotifyDelegate(Id.random(random), id, RECIPIENTS[(int) (n % 3)], box, self,
                n % 2 == 0);
            node.onNodeThread(() -> {
                notify.routeDirect(victim, delegation);
                return null;
            }).get(30, TimeUnit.SECONDS);
            figures.sent(box.length);
            n++;
            Thread.sleep(pause);
        }
    }

    private void scribeJoins(BooleanSupplier running, long pause) throws Exception {
        while (running.getAsBoolean()) {
            node.onNodeThread(() -> {
                for (int i = 0; i < 100; i++) {
                    node.scribe().join(Id.random(random), (group, message) -> { });
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                figures.sent(0);
            }
            Thread.sleep(pause);
        }
    }

    private void pastInserts(BooleanSupplier running) throws Exception {
        Semaphore inFlight = new Semaphore(CONCURRENT_INSERTS);
        long lease = System.currentTimeMillis() + 30L * 86_400_000L;
        while (running.getAsBoolean()) {
            inFlight.acquire();
            byte[] content = new byte[BlockLimits.DEFAULT_MAX_CONTENT_BYTES];
            random.nextBytes(content);
            node.past().insert(ContentHashBlock.of(content), lease).whenComplete((result, failure) -> {
                figures.count(failure == null ? "inserts-answered" : "inserts-failed");
                inFlight.release();
            });
            figures.sent(content.length);
        }
        inFlight.acquire(CONCURRENT_INSERTS);
    }

    /** The notification application's place on this node: it sends, and ignores what it is sent. */
    private static final class Silent implements Application {
        @Override
        public void deliver(Id key, Message msg) {
            // a hostile node reads no answers
        }
    }
}
