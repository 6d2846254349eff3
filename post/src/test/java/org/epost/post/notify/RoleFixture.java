package org.epost.post.notify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.LeafSetView;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.fair.FairLimits;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeClient;
import org.epost.overlay.scribe.ScribeConfig;
import org.epost.overlay.sim.SimScheduler;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.SimNodeSignatures;

/**
 * One node for testing a notification role alone, without a ring: virtual time, an endpoint that records what the
 * role sends, a Scribe whose messages go nowhere, and accounts over one {@link InMemoryBlockService} (PAST's rules, in
 * virtual time) shared with "another peer" (its own vault, the same user CA), whose users are homed at {@link #HOME}.
 */
final class RoleFixture {
    static final NodeHandle SELF = new NodeHandle(Id.hash("self"), "sim:0");
    static final NodeHandle HOME = new NodeHandle(Id.hash("home"), "sim:1");
    static final NodeHandle OTHER = new NodeHandle(Id.hash("other"), "sim:2");

    /** A message the role sent: {@code to} for a direct one, {@code key} for a routed one. */
    record Sent(NodeHandle to, Id key, Message message) {
    }

    final SimScheduler scheduler = new SimScheduler();
    final List<Sent> sent = new ArrayList<>();
    /** Messages the role sent to this node itself, as the dispatcher got them. */
    final List<Message> looped = new ArrayList<>();
    /** What {@link Endpoint#replicaSet} answers. */
    List<NodeHandle> replicas = List.of();
    final Scribe scribe;
    final NotifyNode node;
    /** This node's accounts (its vault; it may provision users). */
    final AccountService accounts;
    /** Another peer's accounts (its vault), over the same PAST. */
    final AccountService elsewhere;
    final ScribeClient presenceUpcalls = (group, message) -> looped.add(message);
    /** The node keys of this test's nodes; {@link #signatures} is this node's. */
    final SimNodeSignatures.Keyring keyring = new SimNodeSignatures.Keyring();
    final SimNodeSignatures signatures = keyring.of(SELF.id());
    /** The PAST both peers' accounts use. */
    final InMemoryBlockService blocks;
    /** The virtual milliseconds of every timing the roles reported, by timer name. */
    final Map<String, List<Long>> timed = new HashMap<>();
    /** What the roles counted (and the sum of any distribution they reported), by metric name. */
    final Map<String, Long> counted = new HashMap<>();
    private final MetricSink timers = new MetricSink() {
        @Override
        public void count(String name, long delta) {
            counted.merge(name, delta, Long::sum);
        }

        @Override
        public void record(String name, long value) {
            counted.merge(name, value, Long::sum);
        }

        @Override
        public void time(String name, long nanos) {
            timed.computeIfAbsent(name, any -> new ArrayList<>()).add(TimeUnit.NANOSECONDS.toMillis(nanos));
        }
    };

    RoleFixture(Path directory) throws Exception {
        Overlay overlay = new Overlay() {
            @Override
            public Endpoint registerApplication(String name, Application app) {
                return new RecordingEndpoint(new ArrayList<>());
            }

            @Override
            public NodeHandle localHandle() {
                return SELF;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public MetricSink metrics() {
                return timers;
            }
        };
        scribe = new Scribe(overlay, scheduler, ScribeConfig.defaults());
        node = new NotifyNode(overlay, scribe, scheduler, FairLimits.postDefaults());
        node.connect(new RecordingEndpoint(sent), (key, message) -> looped.add(message), presenceUpcalls);
        OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        blocks = new InMemoryBlockService().clock(scheduler::now);
        accounts = new AccountService(blocks, KeyVault.open(directory.resolve("self"), secret(1)), authority,
                authority.publicKey(), scheduler, AccountService.Settings.defaults(), Runnable::run);
        elsewhere = new AccountService(blocks, KeyVault.open(directory.resolve("home"), secret(2)), authority,
                authority.publicKey(), scheduler, AccountService.Settings.defaults(), Runnable::run);
    }

    /** Provisions {@code address} on this node (homed here). */
    UserCertificate provisionHere(String address) {
        return accounts.provision(address, SELF).join().certificate();
    }

    /** Provisions {@code address} on the other peer, homed at {@link #HOME}. */
    UserCertificate provisionElsewhere(String address) {
        return elsewhere.provision(address, HOME).join().certificate();
    }

    UserKeys keysHere(String address) throws Exception {
        return accounts.keys(address).orElseThrow();
    }

    UserKeys keysElsewhere(String address) throws Exception {
        return elsewhere.keys(address).orElseThrow();
    }

    Notification notification(String from, String to, String subject) {
        return Notification.create(from, to, subject, scheduler.now(),
                List.of(("part-of-" + subject).getBytes(StandardCharsets.UTF_8)), 1234);
    }

    /** The messages of type {@code type} sent so far, in order. */
    <T extends Message> List<T> sent(Class<T> type) {
        return sent.stream().map(Sent::message).filter(type::isInstance).map(type::cast).toList();
    }

    /** Where the messages of type {@code type} were sent directly, in order. */
    List<NodeHandle> recipientsOf(Class<? extends Message> type) {
        return sent.stream().filter(s -> type.isInstance(s.message()) && s.to() != null).map(Sent::to).toList();
    }

    /** Runs what is due on the node thread, and what the lookups continue with. */
    void settle() {
        scheduler.runFor(1);
    }

    private static byte[] secret(long seed) {
        byte[] secret = new byte[32];
        new Random(seed).nextBytes(secret);
        return secret;
    }

    private final class RecordingEndpoint implements Endpoint {
        private final List<Sent> log;

        RecordingEndpoint(List<Sent> log) {
            this.log = log;
        }

        @Override
        public void route(Id key, Message msg, NodeHandle hint) {
            log.add(new Sent(null, key, msg));
        }

        @Override
        public void routeDirect(NodeHandle to, Message msg) {
            log.add(new Sent(to, null, msg));
        }

        @Override
        public NodeHandle localHandle() {
            return SELF;
        }

        @Override
        public LeafSetView leafSet() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<NodeHandle> replicaSet(Id key, int k) {
            return replicas.stream().limit(k).toList();
        }

        @Override
        public boolean isResponsibleFor(Id key) {
            return true;
        }
    }
}
