package org.epost.overlay.wire;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/** Cuts the byte stream into frames and strips the length; fails fast on a frame over the maximum. */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    public FrameDecoder(int maxFrameBytes) {
        super(maxFrameBytes + WireFormat.LENGTH_BYTES, 0, WireFormat.LENGTH_BYTES, 0, WireFormat.LENGTH_BYTES, true);
    }
}
