package org.epost.overlay.wire;

/**
 * The overlay's frame layout: {@code [length: 4 bytes big-endian][version: 1 byte][CBOR message]}, where length
 * counts the version byte and the message. Frames longer than the configured maximum are refused before they are
 * buffered, so a peer cannot make us allocate more than that.
 */
public final class WireFormat {
    public static final byte VERSION = 1;
    public static final int LENGTH_BYTES = 4;
    /** Default maximum: a 1 MiB block with its envelope fits with room to spare. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

    private WireFormat() {
    }
}
