package org.epost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.epost.durability.glacier.GlacierMessageTypes;
import org.epost.overlay.past.protocol.PastMessageTypes;
import org.epost.overlay.pastry.messages.PastryMessageTypes;
import org.epost.overlay.scribe.ScribeMessageTypes;
import org.epost.overlay.wire.CborMessageCodec;
import org.epost.overlay.wire.FrameDecoder;
import org.epost.overlay.wire.MalformedMessageException;
import org.epost.overlay.wire.MessageDecoder;
import org.epost.overlay.wire.MessageEncoder;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;
import org.epost.post.notify.messages.NotifyMessageTypes;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * The overlay's inbound pipeline (frame decoder, then the message decoder with every message type a peer registers)
 * on fuzzed bytes arriving in fuzzed pieces: a frame is either a message or a clean {@link DecoderException}
 * (malformed message, corrupt or too long frame), never anything else.
 */
class WireFuzzTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final MessageTypes TYPES = allTypes();
    private static final CborMessageCodec CODEC = new CborMessageCodec(TYPES);

    static MessageTypes allTypes() {
        MessageTypes types = new MessageTypes();
        PastryMessageTypes.register(types);
        ScribeMessageTypes.register(types);
        PastMessageTypes.register(types);
        GlacierMessageTypes.register(types);
        NotifyMessageTypes.register(types);
        return types;
    }

    /**
     * Mostly well-framed input (a correct length, the wire version, then fuzzed CBOR), so that the fuzzer spends its
     * time in the message decoder; sometimes a fuzzed length and version. Fed to the pipeline in fuzzed pieces.
     */
    @FuzzTest(maxDuration = "3m")
    void inboundFrames(FuzzedDataProvider data) {
        boolean framed = data.consumeInt(0, 7) != 0;
        int piece = data.consumeInt(1, 4096);
        int rawLength = data.consumeInt();
        byte rawVersion = data.consumeByte();
        byte[] body = data.consumeRemainingAsBytes();
        ByteBuf input = Unpooled.buffer(body.length + 5);
        input.writeInt(framed ? body.length + 1 : rawLength).writeByte(framed ? WireFormat.VERSION : rawVersion);
        input.writeBytes(body);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME), new MessageDecoder(CODEC));
        try {
            while (input.isReadable() && channel.isOpen()) {
                ByteBuf next = input.readRetainedSlice(Math.min(piece, input.readableBytes()));
                try {
                    channel.writeInbound(next);
                } catch (DecoderException e) {
                    if (!isCleanRejection(e)) {
                        throw new AssertionError("the overlay pipeline failed on malformed bytes with " + e, e);
                    }
                }
                Object message;
                while ((message = channel.readInbound()) != null) {
                    assertThat(TYPES.name(message.getClass())).isPresent();
                }
            }
        } finally {
            input.release();
            channel.finishAndReleaseAll();
        }
    }

    private static boolean isCleanRejection(DecoderException e) {
        return e instanceof TooLongFrameException || e instanceof CorruptedFrameException
            || e.getCause() instanceof MalformedMessageException;
    }

    @Test
    void aWellFormedFrameDecodesAndAMalformedOneIsACleanRejection() {
        EmbeddedChannel out = new EmbeddedChannel(new MessageEncoder(CODEC, MAX_FRAME));
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX_FRAME), new MessageDecoder(CODEC));
        Object sample = new org.epost.overlay.pastry.messages.Probe();
        out.writeOutbound(sample);
        in.writeInbound((Object) out.readOutbound());
        assertThat((Object) in.readInbound()).isEqualTo(sample);

        try {
            in.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 1, (byte) 0xa0, 0}));
            throw new AssertionError("a malformed frame was accepted");
        } catch (DecoderException e) {
            assertThat(isCleanRejection(e)).as(e.toString()).isTrue();
        }
    }
}
