package org.epost.mailbox.model;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The immutable identity of one folder of one user: 128 random bits, fixed at creation. The folder's log is keyed by
 * it (label {@code epost-mailbox/folder/<hex>}), so RENAME changes a record in the account log and never moves a log.
 */
public record FolderId(long high, long low) implements Comparable<FolderId> {
    public static final int BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static FolderId random() {
        return new FolderId(RANDOM.nextLong(), RANDOM.nextLong());
    }

    /** @throws IllegalArgumentException unless {@code bytes} has exactly {@value #BYTES} bytes */
    public static FolderId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a folder id has " + BYTES + " bytes, not " + bytes.length);
        }
        return new FolderId(Bits.readLong(bytes, 0), Bits.readLong(bytes, 8));
    }

    /** @throws IllegalArgumentException unless {@code hex} is 32 lowercase hex digits */
    public static FolderId fromHex(String hex) {
        if (hex.length() != 2 * BYTES || !hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("a folder id is " + 2 * BYTES + " lowercase hex digits: " + hex);
        }
        return of(HexFormat.of().parseHex(hex));
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
    public int compareTo(FolderId other) {
        int first = Long.compareUnsigned(high, other.high);
        return first != 0 ? first : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
