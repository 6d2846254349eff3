package org.epost.overlay.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;

class WireCodecTest {
    record Greeting(Id from, String text, long sequence, List<Id> seen) {
        Greeting {
            if (text.length() > 100) {
                throw new IllegalArgumentException("text too long");
            }
        }
    }

    record Other(int value) {
    }

    private static final int MAX = 1024;
    private final MessageTypes types = new MessageTypes().register("greeting", Greeting.class);
    private final CborMessageCodec codec = new CborMessageCodec(types);

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new FrameDecoder(MAX), new MessageDecoder(codec), new MessageEncoder(codec, MAX));
    }

    private static final Greeting GREETING = new Greeting(Id.hash("a"), "hello", 42, List.of(Id.hash("b"), Id.hash("c")));

    @Test
    void aMessageRoundTripsThroughTheFrames() {
        EmbeddedChannel sender = channel();
        EmbeddedChannel receiver = channel();

        sender.writeOutbound(GREETING, GREETING);
        ByteBuf wire = Unpooled.buffer();
        for (ByteBuf frame; (frame = sender.readOutbound()) != null; ) {
            wire.writeBytes(frame);
            frame.release();
        }
        // Deliver the bytes in awkward pieces, as TCP may.
        while (wire.isReadable()) {
            receiver.writeInbound(wire.readRetainedSlice(Math.min(7, wire.readableBytes())));
        }
        wire.release();

        assertThat((Object) receiver.readInbound()).isEqualTo(GREETING);
        assertThat((Object) receiver.readInbound()).isEqualTo(GREETING);
    }

    @Test
    void garbageIsRejected() {
        EmbeddedChannel receiver = channel();
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(9).writeByte(WireFormat.VERSION).writeBytes(new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7});

        assertThatThrownBy(() -> receiver.writeInbound(frame)).isInstanceOf(DecoderException.class)
            .hasRootCauseInstanceOf(JsonParseException.class);
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel receiver = channel();
        ByteBuf header = Unpooled.buffer();
        header.writeInt(MAX + 1).writeByte(WireFormat.VERSION);

        assertThatThrownBy(() -> receiver.writeInbound(header)).isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void anotherWireVersionIsRejected() {
        byte[] body = codec.encode(GREETING);
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(body.length + 1).writeByte(WireFormat.VERSION + 1).writeBytes(body);

        assertThatThrownBy(() -> channel().writeInbound(frame)).isInstanceOf(DecoderException.class).hasMessageContaining("wire version");
    }

    @Test
    void anUnknownTypeIsRejected() {
        CborMessageCodec foreign = new CborMessageCodec(new MessageTypes().register("unheard-of", Other.class));

        assertThatThrownBy(() -> codec.decode(foreign.encode(new Other(1))))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("unknown message type 'unheard-of'");
    }

    @Test
    void fieldsOfAnotherShapeAreRejected() {
        CborMessageCodec wrongShape = new CborMessageCodec(new MessageTypes().register("greeting", Other.class));

        assertThatThrownBy(() -> codec.decode(wrongShape.encode(new Other(1))))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("bad greeting");
    }

    @Test
    void aMessageBreakingItsOwnInvariantsIsRejected() throws Exception {
        assertThatThrownBy(() -> codec.decode(greetingWithText("y".repeat(101))))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("text too long");
    }

    @Test
    void aRegistryRefusesTwoClassesUnderOneName() {
        assertThatThrownBy(() -> types.register("greeting", Other.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortIdIsRejected() {
        byte[] encoded = codec.encode(GREETING);
        byte[] idBytes = Id.hash("a").toBytes();
        // Shorten the first id's CBOR byte string header from 20 to 19 bytes: the remaining bytes no longer parse
        // as the record, and the codec must say so rather than build a wrong id.
        for (int i = 0; i < encoded.length - 1; i++) {
            if (encoded[i] == (byte) (0x40 + 20) && encoded[i + 1] == idBytes[0]) {
                encoded[i] = (byte) (0x40 + 19);
                break;
            }
        }
        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void sendingAnUnregisteredOrOversizedMessageFailsAtTheSender() {
        assertThatThrownBy(() -> channel().writeOutbound(new Other(3))).isInstanceOf(EncoderException.class);
        Greeting big = new Greeting(Id.hash("a"), "x", 1, Collections.nCopies(60, Id.hash("b")));
        assertThatThrownBy(() -> channel().writeOutbound(big)).isInstanceOf(EncoderException.class).hasMessageContaining("frame limit");
    }

    @Test
    void anEnvelopeWrittenAsATreeByEarlierVersionsIsRead() throws Exception {
        assertThat(codec.decode(greetingWithText("hello"))).isEqualTo(GREETING);
    }

    @Test
    void whatIsSentReadsAsTheTwoEntryEnvelopeEarlierVersionsExpect() throws Exception {
        JsonNode envelope = new ObjectMapper(new CBORFactory()).readTree(codec.encode(GREETING));

        assertThat(envelope.size()).isEqualTo(2);
        assertThat(envelope.get("t").asText()).isEqualTo("greeting");
        assertThat(envelope.get("m").get("sequence").asLong()).isEqualTo(42);
        assertThat(envelope.get("m").get("seen").size()).isEqualTo(2);
    }

    @Test
    void aFramedMessageIsReadFromAnOffsetInItsBuffer() throws Exception {
        byte[] body = codec.encode(GREETING);
        byte[] padded = new byte[body.length + 5];
        System.arraycopy(body, 0, padded, 3, body.length);

        assertThat(codec.decode(padded, 3, body.length)).isEqualTo(GREETING);
        assertThatThrownBy(() -> codec.decode(padded, 3, body.length + 2))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("trailing");
    }

    @Test
    void anEnvelopeIsReadInEitherOrderAndNothingElseIsAccepted() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory()).registerModule(new OverlayJacksonModule());
        ObjectNode reversed = cbor.createObjectNode();
        reversed.set("m", cbor.valueToTree(GREETING));
        reversed.put("t", "greeting");
        ObjectNode extra = cbor.createObjectNode();
        extra.put("t", "greeting");
        extra.set("m", cbor.valueToTree(GREETING));
        extra.put("x", 1);
        ObjectNode nullMessage = cbor.createObjectNode();
        nullMessage.put("t", "greeting");
        nullMessage.putNull("m");

        assertThat(codec.decode(cbor.writeValueAsBytes(reversed))).as("fields before the name").isEqualTo(GREETING);
        assertThatThrownBy(() -> codec.decode(cbor.writeValueAsBytes(extra)))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not a message envelope");
        assertThatThrownBy(() -> codec.decode(cbor.writeValueAsBytes(nullMessage)))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("empty greeting");
        assertThatThrownBy(() -> codec.decode(cbor.writeValueAsBytes(List.of("greeting"))))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not a message envelope");
    }

    private static byte[] greetingWithText(String text) throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory()).registerModule(new OverlayJacksonModule());
        ObjectNode envelope = cbor.createObjectNode();
        envelope.put("t", "greeting");
        ObjectNode fields = cbor.valueToTree(GREETING);
        fields.put("text", text);
        envelope.set("m", fields);
        return cbor.writeValueAsBytes(envelope);
    }
}
