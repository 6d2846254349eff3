package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.messages.ClosestReply;
import org.epost.overlay.past.protocol.messages.ClosestRequest;
import org.epost.overlay.past.protocol.messages.DigestReply;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.HoldConfirm;
import org.epost.overlay.past.protocol.messages.InsertReply;
import org.epost.overlay.past.protocol.messages.InsertRequest;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.past.protocol.messages.LeaseConfirm;
import org.epost.overlay.past.protocol.messages.LeaseExtendReply;
import org.epost.overlay.past.protocol.messages.LeaseReply;
import org.epost.overlay.past.protocol.messages.LeaseRequest;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.LookupRequest;
import org.epost.overlay.past.protocol.messages.ReplicaDigest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.MalformedMessageException;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.Test;

/** Every PAST message is registered and survives the real wire codec, alone and inside an overlay message. */
class PastMessageTypesTest {
    private static final NodeHandle NODE = new NodeHandle(Id.hash("node"), "10.0.0.1:4000");
    private static final Id HANDLE = Id.hash("block");
    private static final byte[] BYTES = {1, 2, 3, 4};

    private static final List<Message> SAMPLES = List.of(
            new InsertRequest(1, NODE, HANDLE, BYTES, 99),
            new InsertReply(2, "SUCCESS", "", List.of(NODE, NODE)),
            new StoreRequest(3, NODE, HANDLE, BYTES, 99),
            new StoreReply(4, "FULL", "", 0),
            new LookupRequest(5, NODE, HANDLE, 2),
            new LookupReply(6, NODE, BYTES, 99, List.of(NODE)),
            new FetchRequest(7, NODE, HANDLE, 1),
            new FetchReply(8, new byte[0], 0),
            new LeaseRequest(9, NODE, HANDLE, 3, 1234),
            new LeaseReply(10, 3),
            new LeaseExtend(11, NODE, HANDLE, 1, 1234),
            new LeaseExtendReply(12, 1234),
            new ReplicaDigest(13, NODE, List.of(HANDLE, Id.hash("other")), new byte[] {1, 2}, List.of(0L, 7L)),
            new DigestReply(14, List.of(HANDLE), new byte[] {1}),
            new ClosestRequest(15, NODE, HANDLE, 5),
            ClosestReply.of(16, NODE, HANDLE, List.of(NODE, new NodeHandle(Id.hash("other"), "10.0.0.2:4000"))),
            new HoldCheck(17, NODE, HANDLE, 1, new byte[] {9, 8, 7}, 1234),
            new HoldConfirm(18, 1234),
            new LeaseCheck(19, NODE, List.of(new LeaseCheck.Lease(HANDLE, 1, 1234), new LeaseCheck.Lease(HANDLE, 3, 9))),
            new LeaseConfirm(20, List.of(1234L, 0L)));

    @Test
    void everyMessageRoundTrips() throws MalformedMessageException {
        MessageTypes types = PastMessageTypes.register(new MessageTypes())
                .register("test.direct", DirectMessage.class);
        CborMessageCodec codec = new CborMessageCodec(types);
        assertThat(types.all()).hasSize(SAMPLES.size() + 1);
        for (Message sample : SAMPLES) {
            assertThat(types.name(sample.getClass())).as("%s registered", sample.getClass()).isPresent();
            Object decoded = codec.decode(codec.encode(sample));
            assertThat(decoded).usingRecursiveComparison().isEqualTo(sample);
            DirectMessage wrapped = (DirectMessage) codec.decode(codec.encode(new DirectMessage("past", sample)));
            assertThat(wrapped.payload()).usingRecursiveComparison().isEqualTo(sample);
        }
    }
}
