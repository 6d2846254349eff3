package org.epost.overlay.scribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.messages.ScribeCreate;
import org.epost.overlay.scribe.messages.ScribeData;
import org.epost.overlay.scribe.messages.ScribeHeartbeat;
import org.epost.overlay.scribe.messages.ScribeJoin;
import org.epost.overlay.scribe.messages.ScribeJoinAck;
import org.epost.overlay.scribe.messages.ScribeLeave;
import org.epost.overlay.scribe.messages.ScribePublish;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.MalformedMessageException;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.Test;

class ScribeMessageTypesTest {
    record Announce(String address, byte[] token) implements Message {
    }

    private static final Id GROUP = Id.hash("group");
    private static final NodeHandle NODE = new NodeHandle(Id.hash("node"), "10.0.0.1:7000");
    private static final Announce PAYLOAD = new Announce("peer-1", new byte[] {1, 2, 3});

    @Test
    void everyScribeMessageIsRegisteredUnderAStableName() {
        MessageTypes types = ScribeMessageTypes.register(new MessageTypes());
        assertThat(types.all()).containsOnlyKeys("scribe.join", "scribe.join-ack", "scribe.leave", "scribe.create",
                "scribe.publish", "scribe.data", "scribe.heartbeat");
        assertThat(types.name(ScribeData.class)).contains("scribe.data");
    }

    @Test
    void everyScribeMessageRoundTripsThroughTheCborCodec() throws MalformedMessageException {
        MessageTypes types = ScribeMessageTypes.register(new MessageTypes()).register("test.announce", Announce.class);
        CborMessageCodec codec = new CborMessageCodec(types);
        List<Message> messages = List.of(
                new ScribeJoin(GROUP, NODE),
                new ScribeJoinAck(GROUP, NODE, List.of(Id.hash("root"), NODE.id())),
                new ScribeLeave(GROUP, NODE),
                new ScribeCreate(GROUP),
                new ScribeHeartbeat(NODE, List.of(new ScribeHeartbeat.ParentBeat(GROUP, List.of(NODE.id()))),
                        List.of(Id.hash("other"))));
        for (Message message : messages) {
            assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
        }
        // records holding byte[] compare by reference: check the payload's fields
        ScribePublish publish = (ScribePublish) codec.decode(codec.encode(new ScribePublish(GROUP, NODE.id(), 7, PAYLOAD)));
        assertThat(publish.sequence()).isEqualTo(7);
        assertThat(((Announce) publish.payload()).token()).containsExactly(1, 2, 3);
        ScribeData data = (ScribeData) codec.decode(codec.encode(new ScribeData(GROUP, NODE, NODE.id(), 8, PAYLOAD)));
        assertThat(data.from()).isEqualTo(NODE);
        assertThat(((Announce) data.payload()).address()).isEqualTo("peer-1");
    }
}
