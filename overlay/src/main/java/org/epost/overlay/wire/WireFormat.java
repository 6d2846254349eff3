package org.epost.overlay.wire;

/**
 * The overlay's frame layout: {@code [length: 4 bytes big-endian][version: 1 byte][CBOR message]}, where length
 * counts the version byte and the message. Frames longer than the configured maximum are refused before they are
 * buffered, so a peer cannot make us allocate more than that.
 *
 * <p>Versions: {@link #VERSION} is the version of the whole message vocabulary (the envelope of
 * {@link CborMessageCodec} and every registered message's fields), and message bodies carry no version of their
 * own. They need none: messages are never stored, both ends of a link run the same vocabulary, and decoding is
 * strict (unknown, missing and extra fields are refused), so a mismatch is refused rather than misread. A message
 * whose fields change either bumps {@link #VERSION} (the ring is upgraded as a whole) or is registered under a new
 * name beside the old one (a rolling change), which is what a per-message version would buy. What messages carry
 * that is stored or signed (PAST blocks, POST's notifications and receipts) is opaque bytes here, in the
 * structures' own versioned encodings.
 */
public final class WireFormat {
    public static final byte VERSION = 1;
    public static final int LENGTH_BYTES = 4;
    /** Default maximum: a 1 MiB block with its envelope fits with room to spare. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

    private WireFormat() {
    }
}
