package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.durability.glacier.messages.AuditReply;
import org.epost.durability.glacier.messages.FragmentGet;
import org.epost.durability.glacier.messages.FragmentGetReply;
import org.epost.durability.glacier.messages.FragmentLeaseExtend;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.durability.glacier.messages.FragmentPutReply;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.pastry.messages.PastryMessageTypes;
import org.epost.overlay.pastry.messages.RouteHop;
import org.epost.overlay.pastry.messages.RoutedMessage;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.Test;

/** Glacier's messages cross a real link: registered by name, carried inside Pastry's envelopes, decoded strictly. */
class GlacierWireTest {
    private final CborMessageCodec codec = new CborMessageCodec(
        GlacierMessageTypes.register(PastryMessageTypes.register(new MessageTypes())));
    private final NodeHandle sender = new NodeHandle(Id.hash("sender"), "127.0.0.1:4000");

    private Object roundTrip(Object message) throws Exception {
        return codec.decode(codec.encode(message));
    }

    @Test
    void everyMessageRoundTripsInsideItsEnvelope() throws Exception {
        List<Message> routed = List.of(new FragmentPut(7, sender, new byte[] {1, 2, 3}, 99),
            new FragmentGet(8, sender, Id.hash("object"), 5),
            new AuditQuery(9, sender, 200, 17, Id.hash("from"), Id.hash("to"), true),
            new FragmentLeaseExtend(Id.hash("object"), 3, 20, 123_456_789L));
        for (Message message : routed) {
            RouteHop hop = new RouteHop(1, new RoutedMessage(sender, 2, Id.hash("key"), Glacier.APPLICATION, message, 0));
            RouteHop back = (RouteHop) roundTrip(hop);
            assertThat(back.routed().payload()).usingRecursiveComparison().isEqualTo(message);
        }
        List<Message> direct = List.of(new FragmentPutReply(7, "STORED"),
            new FragmentGetReply(8, new byte[] {4, 5}, 100),
            new AuditReply(9, Id.hash("covered"), new byte[32], List.of(Id.hash("a")), List.of(3), List.of(77L), false));
        for (Message message : direct) {
            DirectMessage back = (DirectMessage) roundTrip(new DirectMessage(Glacier.APPLICATION, message));
            assertThat(back.payload()).usingRecursiveComparison().isEqualTo(message);
        }
    }
}
