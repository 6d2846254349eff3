package org.epost.post.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.node.NodeConsole;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.sim.CommandLineFlags;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyMessageTypes;

/**
 * A hostile overlay node for the attack harness ({@code it-tests/bench/attack_bench.py}, issue #15): it holds a valid
 * node certificate of the ring's organization, joins the ring over real TLS links, and for {@code --seconds} floods
 * one victim peer with one kind of attack, then prints what it sent as one JSON line and exits.
 *
 * <pre>
 *   HostileNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE --password-file FILE --store DIR
 *                   --victim HOST:PORT --attack delegate|scribe|past|garbage|connections [--seconds 180]
 *                   [--pause-millis 100] [--connections 2000]
 * </pre>
 * delegate: notifications to keep, boxes up to the frame limit, half as copies from a fellow delegate and half as
 * the root; scribe: joins to new random groups; past: inserts of 1 MiB blocks (most land on the victim, k = 3 of a
 * ring of four); garbage and connections: see {@link RawLinkAttacks}.
 */
public final class HostileNodeMain {
    private static final String USAGE = "usage: HostileNodeMain --listen HOST:PORT --bootstrap A,B --credentials FILE "
        + "--password-file FILE --store DIR --victim HOST:PORT --attack delegate|scribe|past|garbage|connections "
        + "[--seconds 180] [--pause-millis 100] [--connections 2000]";
    /** Room in a frame for the delegation's other fields and the message envelope. */
    private static final int FRAME_ROOM_BYTES = 16 * 1024;
    private static final int CONCURRENT_INSERTS = 4;
    /** The ring's users (`epost-ring`): a delegate keeps a notification only for a user whose certificate it finds. */
    private static final String[] RECIPIENTS = {"alice@epost.test", "bob@epost.test", "carol@epost.test"};

    private final OverlayNode node;
    private final AttackFigures figures = new AttackFigures();
    private final Random random = new Random(new SecureRandom().nextLong());

    private HostileNodeMain(OverlayNode node) {
        this.node = node;
    }

    public static void main(String[] args) throws Exception {
        CommandLineFlags flags;
        NodeCredentials credentials;
        OverlayNodeConfig config;
        try {
            flags = CommandLineFlags.parse(args, Set.of("--listen", "--bootstrap", "--credentials", "--password-file",
                "--store", "--victim", "--attack", "--seconds", "--pause-millis", "--connections"), Set.of());
            credentials = NodeConsole.credentials(flags.required("--credentials"), flags.required("--password-file"));
            String listen = flags.required("--listen");
            config = new OverlayNodeConfig(NodeConsole.address(listen), listen,
                NodeConsole.bootstrap(flags.required("--bootstrap")), PastryConfig.defaults(),
                WireFormat.DEFAULT_MAX_FRAME_BYTES, Path.of(flags.required("--store")), StoreConfig.withQuota(1L << 30),
                PastConfig.defaults());
            NodeConsole.address(flags.required("--victim"));
        } catch (IllegalArgumentException e) {
            System.err.println(USAGE + "; " + e.getMessage());
            System.exit(2);
            return;
        }
        String attack = flags.required("--attack");
        long seconds = flags.longNumber("--seconds").orElse(180L);
        long pause = flags.longNumber("--pause-millis").orElse(100L);
        MessageTypes types = new MessageTypes();
        NotifyMessageTypes.register(types);
        try (OverlayNode node = OverlayNode.start(credentials, config, types)) {
            HostileNodeMain hostile = new HostileNodeMain(node);
            Endpoint notify = node.onNodeThread(() -> node.pastry().registerApplication(NotificationService.APPLICATION,
                new Silent())).get(30, TimeUnit.SECONDS);
            node.join();
            NodeHandle victim = hostile.awaitVictim(flags.required("--victim"));
            long end = System.currentTimeMillis() + seconds * 1000;
            BooleanSupplier running = () -> System.currentTimeMillis() < end;
            RawLinkAttacks raw = new RawLinkAttacks(NodeConsole.address(flags.required("--victim")), credentials,
                hostile.figures);
            switch (attack) {
                case "delegate" -> hostile.delegations(notify, victim, running, pause);
                case "scribe" -> hostile.scribeJoins(running, pause);
                case "past" -> hostile.pastInserts(running);
                case "garbage" -> raw.garbage(running);
                case "connections" -> raw.connections(running, flags.integer("--connections").orElse(2000));
                default -> throw new IllegalArgumentException("unknown --attack " + attack + "; " + USAGE);
            }
            System.out.println(hostile.figures.json(attack, seconds));
        }
        System.exit(0);
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
