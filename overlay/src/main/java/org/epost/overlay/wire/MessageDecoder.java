package org.epost.overlay.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageDecoder;

/** One frame ({@code [version][CBOR]}) to one message object; anything else is a {@link DecoderException}. */
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final CborMessageCodec codec;

    public MessageDecoder(CborMessageCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf frame, List<Object> out) throws Exception {
        if (!frame.isReadable()) {
            throw new DecoderException(new MalformedMessageException("empty frame"));
        }
        byte version = frame.readByte();
        if (version != WireFormat.VERSION) {
            throw new DecoderException(new MalformedMessageException("wire version " + version + ", expected " + WireFormat.VERSION));
        }
        try {
            if (frame.hasArray()) {
                out.add(codec.decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes()));
            } else {
                out.add(codec.decode(ByteBufUtil.getBytes(frame)));
            }
        } catch (MalformedMessageException e) {
            throw new DecoderException(e);
        }
    }
}
