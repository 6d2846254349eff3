package org.epost.overlay.pastry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Lane;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.pastry.messages.RouteHop;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.SimTransport;
import org.epost.overlay.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * The lane of every message a node sends is decided at the sender, from the type of what it carries (a
 * {@link BulkMessage} is bulk at every hop) or from what the sending application says for a direct message of an
 * interactive type; Pastry's own messages are interactive. On a two-node simulated ring.
 */
class LaneChoiceTest {
    record Note(String text) implements Message {
    }

    record Fragment(String text) implements BulkMessage {
    }

    /** Sent message, lane. */
    record Sent(Object wire, Lane lane) {
    }

    /** The simulator's transport, recording the lane each message was sent in. */
    static final class RecordingTransport implements Transport {
        final SimTransport delegate;
        final List<Sent> sent = new ArrayList<>();

        RecordingTransport(SimTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public NodeHandle localHandle() {
            return delegate.localHandle();
        }

        @Override
        public void setListener(Listener listener) {
            delegate.setListener(listener);
        }

        @Override
        public void send(NodeHandle to, Object wireMessage) {
            send(to, wireMessage, Lane.INTERACTIVE);
        }

        @Override
        public void send(NodeHandle to, Object wireMessage, Lane lane) {
            sent.add(new Sent(wireMessage, lane));
            delegate.send(to, wireMessage);
        }
    }

    static final class Quiet implements Application {
        final List<Message> received = new ArrayList<>();

        @Override
        public void deliver(Id key, Message msg) {
            received.add(msg);
        }

        @Override
        public void deliverDirect(NodeHandle sender, Id key, Message msg) {
            received.add(msg);
        }

        @Override
        public boolean forward(RouteMessage msg) {
            return true;
        }

        @Override
        public void update(NodeHandle handle, boolean joined) {
        }
    }

    private final SimScheduler scheduler = new SimScheduler();
    private final SimNetwork network = new SimNetwork(scheduler, 7);
    private final Random random = new Random(7);

    private PastryNode node(RecordingTransport transport, Quiet app, PastryNode bootstrap) {
        PastryNode node = new PastryNode(PastryConfig.defaults(), transport, transport.delegate.scheduler(),
            new Random(random.nextLong()));
        node.registerApplication("test", app);
        node.join(bootstrap == null ? null : bootstrap.localHandle());
        scheduler.runUntil(node::isReady, scheduler.now() + 60_000);
        assertThat(node.isReady()).isTrue();
        return node;
    }

    @Test
    void theSenderPicksTheLaneFromWhatItSendsAndWhatTheApplicationSays() {
        RecordingTransport first = new RecordingTransport(network.addNode(Id.random(random)));
        RecordingTransport second = new RecordingTransport(network.addNode(Id.random(random)));
        Quiet atFirst = new Quiet();
        Quiet atSecond = new Quiet();
        PastryNode one = node(first, atFirst, null);
        PastryNode two = node(second, atSecond, one);
        scheduler.runFor(1_000);
        assertThat(first.sent).as("Pastry's own messages").isNotEmpty()
            .allMatch(sent -> sent.lane() == Lane.INTERACTIVE);
        Endpoint endpoint = one.registerApplication("lanes", atFirst);
        two.registerApplication("lanes", atSecond);
        first.sent.clear();

        NodeHandle to = two.localHandle();
        endpoint.routeDirect(to, new Note("request"));
        endpoint.routeDirect(to, new Note("repair push"), Lane.BULK);
        endpoint.routeDirect(to, new Fragment("fragment"));
        endpoint.routeDirect(to, new Fragment("claimed interactive"), Lane.INTERACTIVE);
        endpoint.route(to.id(), new Fragment("routed fragment"), null);
        endpoint.route(to.id(), new Note("routed request"), null);
        scheduler.runFor(1_000);

        assertThat(first.sent.stream().filter(sent -> sent.wire() instanceof DirectMessage)
            .map(sent -> ((DirectMessage) sent.wire()).payload() + " " + sent.lane()).toList()).containsExactly(
                new Note("request") + " INTERACTIVE", new Note("repair push") + " BULK",
                new Fragment("fragment") + " BULK", new Fragment("claimed interactive") + " BULK");
        assertThat(first.sent.stream().filter(sent -> sent.wire() instanceof RouteHop)
            .map(sent -> ((RouteHop) sent.wire()).routed().payload() + " " + sent.lane()).toList()).containsExactly(
                new Fragment("routed fragment") + " BULK", new Note("routed request") + " INTERACTIVE");
        assertThat(atSecond.received).hasSize(6);
        assertThat(second.sent).as("acknowledgements of routed hops").isNotEmpty()
            .allMatch(sent -> sent.lane() == Lane.INTERACTIVE);
    }
}
