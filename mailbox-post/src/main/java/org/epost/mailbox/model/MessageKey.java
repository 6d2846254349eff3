package org.epost.mailbox.model;

import java.util.HexFormat;

/**
 * A message's id (James's MessageId of this backend): 128 random bits given when the message is first stored and
 * kept by its copies, so one message in several folders shares it.
 */
public record MessageKey(long high, long low) implements Comparable<MessageKey> {
    public static final int BYTES = 16;

    /** By the high bits, then the low ones (unsigned): an order for the folder's message-id index. */
    @Override
    public int compareTo(MessageKey other) {
        int order = Long.compareUnsigned(high, other.high);
        return order != 0 ? order : Long.compareUnsigned(low, other.low);
    }

    /** @throws IllegalArgumentException unless {@code bytes} has exactly {@value #BYTES} bytes */
    public static MessageKey of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a message id has " + BYTES + " bytes, not " + bytes.length);
        }
        return new MessageKey(Bits.readLong(bytes, 0), Bits.readLong(bytes, 8));
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[BYTES];
        Bits.writeLong(bytes, 0, high);
        Bits.writeLong(bytes, 8, low);
        return bytes;
    }

    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    @Override
    public String toString() {
        return toHex();
    }
}
