package org.epost.overlay.pastry.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.Test;

class LeafSetLookupWireTest {
    private final CborMessageCodec codec = new CborMessageCodec(PastryMessageTypes.register(new MessageTypes()));
    private final NodeHandle asker = new NodeHandle(Id.hash("asker"), "10.0.0.1:7650");

    @Test
    void aRoutedLookupAndItsAnswerRoundTrip() throws Exception {
        RoutedMessage routed = new RoutedMessage(asker, 7, Id.hash("beyond"), "pastry.leaf-set-lookup",
                new LeafSetLookup(asker, false), 3);
        LeafSetLookupReply reply = new LeafSetLookupReply(true,
                List.of(asker, new NodeHandle(Id.hash("other"), "10.0.0.2:7650")));
        assertThat(codec.decode(codec.encode(routed))).isEqualTo(routed);
        assertThat(codec.decode(codec.encode(reply))).isEqualTo(reply);
    }
}
