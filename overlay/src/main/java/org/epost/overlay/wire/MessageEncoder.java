package org.epost.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/** One message object to one frame, length included; refuses to send what the other side would refuse to read. */
public final class MessageEncoder extends MessageToByteEncoder<Object> {
    private final CborMessageCodec codec;
    private final int maxFrameBytes;

    public MessageEncoder(CborMessageCodec codec, int maxFrameBytes) {
        this.codec = codec;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Raw buffers pass through untouched; every other outbound object must be a registered message. */
    @Override
    public boolean acceptOutboundMessage(Object message) {
        return !(message instanceof ByteBuf);
    }

    /** The body is encoded straight into the frame's buffer, its length filled in after: no copy of the body. */
    @Override
    protected void encode(ChannelHandlerContext context, Object message, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(WireFormat.VERSION);
        codec.encode(message, new ByteBufOutputStream(out));
        int length = out.writerIndex() - start - Integer.BYTES;
        if (length > maxFrameBytes) {
            out.writerIndex(start);
            throw new EncoderException(message.getClass().getSimpleName() + " is " + length + " bytes, over the "
                + maxFrameBytes + "-byte frame limit");
        }
        out.setInt(start, length);
    }
}
