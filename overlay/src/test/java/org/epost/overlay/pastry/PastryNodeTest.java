package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.messages.JoinReply;
import org.epost.overlay.pastry.messages.JoinRequest;
import org.epost.overlay.pastry.messages.RoutingRows;
import org.epost.overlay.transport.Transport;
import org.epost.overlay.pastry.messages.LeafSetReply;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.SimTransport;
import org.junit.jupiter.api.Test;

/** The node's application-facing behaviour, on a small simulated ring. */
class PastryNodeTest {
    record Note(String text) implements Message {
    }

    /** Records what the overlay tells it; optionally drops or keeps messages in forward(). */
    static final class RecordingApp implements Application {
        final List<String> events = new ArrayList<>();
        final List<Message> delivered = new ArrayList<>();
        boolean dropInForward;
        boolean keepHereInForward;
        NodeHandle self;

        @Override
        public void deliver(Id key, Message msg) {
            delivered.add(msg);
            events.add("deliver " + key);
        }

        @Override
        public boolean forward(RouteMessage msg) {
            if (keepHereInForward) {
                msg.setNextHop(self);
            }
            return !dropInForward;
        }

        @Override
        public void update(NodeHandle handle, boolean joined) {
            events.add((joined ? "joined " : "left ") + handle.id());
        }
    }

    private final SimScheduler scheduler = new SimScheduler();
    private final SimNetwork network = new SimNetwork(scheduler, 5);
    private final Random random = new Random(5);
    private final List<PastryNode> nodes = new ArrayList<>();
    private final List<RecordingApp> apps = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<SimTransport> transports = new ArrayList<>();

    private PastryNode addNode() {
        SimTransport transport = network.addNode(Id.random(random));
        transports.add(transport);
        PastryNode node = new PastryNode(PastryConfig.defaults(), transport, transport.scheduler(),
                new Random(random.nextLong()));
        RecordingApp app = new RecordingApp();
        app.self = node.localHandle();
        endpoints.add(node.registerApplication("test", app));
        node.join(nodes.isEmpty() ? null : nodes.get(0).localHandle());
        scheduler.runUntil(node::isReady, scheduler.now() + 60_000);
        assertThat(node.isReady()).isTrue();
        nodes.add(node);
        apps.add(app);
        return node;
    }

    @Test
    void leafSetChangesReachTheApplication() {
        PastryNode first = addNode();
        PastryNode second = addNode();
        scheduler.runFor(1_000);
        assertThat(apps.get(0).events).contains("joined " + second.localHandle().id());
        assertThat(apps.get(1).events).contains("joined " + first.localHandle().id());

        network.crash(second.localHandle().id());
        scheduler.runFor(2 * PastryConfig.defaults().keepAliveIntervalMillis());
        assertThat(apps.get(0).events).contains("left " + second.localHandle().id());
        assertThat(first.leafSet().size()).isZero();
    }

    @Test
    void routedMessagesReachTheResponsibleNodeWhichKnowsItsReplicaSet() {
        for (int i = 0; i < 12; i++) {
            addNode();
        }
        scheduler.runFor(60_000);
        Id key = Id.random(random);
        endpoints.get(3).route(key, new Note("hello"), null);
        scheduler.runFor(5_000);

        List<PastryNode> byDistance = new ArrayList<>(nodes);
        byDistance.sort(Comparator.comparing(node -> node.localHandle().id(), key::compareDistances));
        PastryNode closest = byDistance.get(0);
        int closestIndex = nodes.indexOf(closest);
        assertThat(apps.get(closestIndex).delivered).containsExactly(new Note("hello"));
        long deliveries = apps.stream().mapToLong(app -> app.delivered.size()).sum();
        assertThat(deliveries).isEqualTo(1);

        assertThat(nodes.stream().filter(node -> node.isResponsibleFor(key))).containsExactly(closest);
        assertThat(endpoints.get(closestIndex).replicaSet(key, 3)).containsExactly(
                byDistance.get(0).localHandle(), byDistance.get(1).localHandle(), byDistance.get(2).localHandle());
    }

    @Test
    void aNodeAdvertisingAnotherNodesIdAtItsOwnAddressIsBelievedByNobodyAndHarmsNobody() {
        for (int i = 0; i < 8; i++) {
            addNode();
        }
        scheduler.runFor(60_000);
        NodeHandle victim = nodes.get(3).localHandle();
        SimTransport mallory = transports.get(7);
        NodeHandle bogus = new NodeHandle(victim.id(), mallory.localHandle().address());
        // and a node that does not exist at all, "reachable" at mallory's address, for a routing slot nobody fills
        NodeHandle phantom = new NodeHandle(idWithFreeFirstDigit(), mallory.localHandle().address());
        List<PastryNode> honest = nodes.subList(0, 7);

        for (int round = 0; round < 3; round++) {
            for (PastryNode node : honest) {
                mallory.send(node.localHandle(), new RoutingRows(List.of(bogus, phantom)));
                mallory.send(node.localHandle(), new LeafSetReply(List.of(bogus, phantom)));
            }
            scheduler.runFor(500);
            for (PastryNode node : honest) {
                assertThat(node.routingTableEntries()).as("routing table of %s", node.localHandle())
                    .doesNotContain(bogus, phantom);
                assertThat(node.leafSet().members()).as("leaf set of %s", node.localHandle())
                    .doesNotContain(bogus, phantom);
            }
            scheduler.runFor(PastryConfig.defaults().keepAliveIntervalMillis());
        }
        // the victim was never taken for dead, and is still known where it is, by the nodes that knew it
        for (int i = 0; i < 7; i++) {
            assertThat(apps.get(i).events).as("leaf-set changes at node %d", i).doesNotContain("left " + victim.id());
            if (i != 3) {
                assertThat(honest.get(i).leafSet().members()).contains(victim);
            }
        }
        Id key = victim.id();
        endpoints.get(0).route(key, new Note("to the victim"), null);
        scheduler.runFor(5_000);
        assertThat(apps.get(3).delivered).containsExactly(new Note("to the victim"));
    }

    @Test
    void aNewcomerJoiningThroughAHostileNodeUsesOnlyWhatAnsweredOverItsOwnLink() {
        for (int i = 0; i < 7; i++) {
            addNode();
        }
        scheduler.runFor(60_000);
        NodeHandle victim = nodes.get(3).localHandle();
        NodeHandle honest = nodes.get(0).localHandle();
        SimTransport mallory = network.addNode(Id.random(random));
        NodeHandle bogus = new NodeHandle(victim.id(), mallory.localHandle().address());
        NodeHandle phantom = new NodeHandle(idWithFreeFirstDigit(), mallory.localHandle().address());
        // mallory answers a join with its own rows and leaf set: the victim's id at its address, a phantom, one truth
        mallory.setListener(new Transport.Listener() {
            @Override
            public void receive(NodeHandle from, Object message) {
                if (message instanceof JoinRequest) {
                    mallory.send(from, new RoutingRows(List.of(mallory.localHandle(), bogus, phantom, honest)));
                    mallory.send(from, new JoinReply(List.of(bogus, phantom)));
                }
            }

            @Override
            public void unreachable(NodeHandle peer) {
            }
        });
        SimTransport transport = network.addNode(Id.random(random));
        PastryNode newcomer = new PastryNode(PastryConfig.defaults(), transport, transport.scheduler(),
                new Random(random.nextLong()));

        newcomer.join(mallory.localHandle());
        scheduler.runUntil(newcomer::isReady, scheduler.now() + 60_000);

        assertThat(newcomer.isReady()).isTrue();
        for (int round = 0; round < 4; round++) {
            assertThat(newcomer.routingTableEntries()).doesNotContain(bogus, phantom);
            assertThat(newcomer.leafSet().members()).doesNotContain(bogus, phantom);
            scheduler.runFor(PastryConfig.defaults().keepAliveIntervalMillis());
        }
        // the one true entry answered over its own link, and through it the newcomer finds the real ring
        scheduler.runFor(60_000);
        assertThat(newcomer.routingTableEntries()).contains(honest);
        assertThat(newcomer.leafSet().members()).contains(victim).doesNotContain(bogus, phantom);
    }

    /** An id whose first digit no node's id has: its slot in row 0 of every routing table is empty. */
    private Id idWithFreeFirstDigit() {
        while (true) {
            Id candidate = Id.random(random);
            if (nodes.stream().noneMatch(node -> node.localHandle().id().digit(0) == candidate.digit(0))) {
                return candidate;
            }
        }
    }

    @Test
    void forwardMayDropOrKeepAMessage() {
        for (int i = 0; i < 8; i++) {
            addNode();
        }
        scheduler.runFor(30_000);
        Id key = nodes.get(5).localHandle().id();

        apps.get(2).dropInForward = true;
        endpoints.get(2).route(key, new Note("dropped"), null);
        scheduler.runFor(5_000);
        assertThat(apps.stream().mapToLong(app -> app.delivered.size()).sum()).isZero();

        apps.get(2).dropInForward = false;
        apps.get(2).keepHereInForward = true;
        endpoints.get(2).route(key, new Note("kept"), null);
        scheduler.runFor(5_000);
        assertThat(apps.get(2).delivered).containsExactly(new Note("kept"));
        assertThat(apps.get(5).delivered).isEmpty();
    }

    @Test
    void routeDirectDeliversAtThatNodeWithItsOwnIdAsKey() {
        addNode();
        PastryNode target = addNode();
        endpoints.get(0).routeDirect(target.localHandle(), new Note("direct"));
        scheduler.runFor(1_000);
        assertThat(apps.get(1).delivered).containsExactly(new Note("direct"));
        assertThat(apps.get(1).events).contains("deliver " + target.localHandle().id());
    }

    @Test
    void aRevokedNodeLeavesTheLeafSetAndRoutingTableAtOnceAndTheApplicationHearsIt() {
        for (int i = 0; i < 8; i++) {
            addNode();
        }
        scheduler.runFor(30_000);
        NodeHandle revoked = nodes.get(4).localHandle();
        PastryNode observer = nodes.get(0);
        assertThat(observer.leafSet().contains(revoked.id()) || observer.routingTableEntries().contains(revoked))
            .as("the observer routes through the node before").isTrue();

        observer.forgetRevoked(revoked.id()::equals);

        // no virtual time passed: no probe, no timeout, the entries are gone as the list arrives
        assertThat(observer.leafSet().contains(revoked.id())).isFalse();
        assertThat(observer.routingTableEntries()).doesNotContain(revoked);
        assertThat(apps.get(0).events).contains("left " + revoked.id());
        observer.forgetRevoked(revoked.id()::equals);
        assertThat(apps.get(0).events.stream().filter(("left " + revoked.id())::equals)).hasSize(1);
    }
}
