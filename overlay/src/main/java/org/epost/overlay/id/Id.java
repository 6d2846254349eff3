package org.epost.overlay.id;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A point on the overlay's ring of 2^160 ids: node ids, block handles, group ids. Immutable. Ordered as unsigned
 * 160-bit integers; {@link #distance} is the shorter way around the ring.
 */
public final class Id implements Comparable<Id> {
    public static final int BITS = 160;
    public static final int BYTES = BITS / 8;
    /** Pastry's digit size in bits (b = 4: hexadecimal digits), and the number of digits in an id. */
    public static final int DIGIT_BITS = 4;
    public static final int DIGITS = BITS / DIGIT_BITS;

    private static final BigInteger RING = BigInteger.ONE.shiftLeft(BITS);
    private static final BigInteger HALF_RING = BigInteger.ONE.shiftLeft(BITS - 1);

    private final byte[] bytes;
    private final int hash;

    private Id(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The id with these 20 bytes (big-endian). */
    public static Id of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("An id has " + BYTES + " bytes, not " + bytes.length);
        }
        return new Id(bytes.clone());
    }

    /** Parses 40 hexadecimal digits. */
    public static Id fromHex(String hex) {
        if (hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("An id has " + 2 * BYTES + " hex digits: " + hex);
        }
        return new Id(HexFormat.of().parseHex(hex));
    }

    /** The first 160 bits of SHA-256 of {@code data}: node ids (of a public key), content handles, group ids. */
    public static Id hash(byte[] data) {
        return new Id(Arrays.copyOf(sha256(data), BYTES));
    }

    public static Id hash(String text) {
        return hash(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A uniformly random id drawn from {@code random} (seeded in simulations). */
    public static Id random(Random random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new Id(bytes);
    }

    /** The id {@code value mod 2^160}. */
    public static Id fromBigInteger(BigInteger value) {
        byte[] raw = value.mod(RING).toByteArray();
        byte[] bytes = new byte[BYTES];
        int copy = Math.min(raw.length, BYTES);
        System.arraycopy(raw, raw.length - copy, bytes, BYTES - copy, copy);
        return new Id(bytes);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public BigInteger toBigInteger() {
        return new BigInteger(1, bytes);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Digit {@code index} (0 = most significant) in base 2^b. */
    public int digit(int index) {
        int b = bytes[index / 2] & 0xff;
        return index % 2 == 0 ? b >>> 4 : b & 0x0f;
    }

    /** How many leading base-2^b digits this id shares with {@code other} (DIGITS when equal). */
    public int sharedPrefixLength(Id other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return 2 * i + (x >= 0x10 ? 0 : 1);
            }
        }
        return DIGITS;
    }

    /** Distance along the ring, the shorter way round: in [0, 2^159]. */
    public BigInteger distance(Id other) {
        BigInteger d = toBigInteger().subtract(other.toBigInteger()).abs();
        return d.compareTo(HALF_RING) > 0 ? RING.subtract(d) : d;
    }

    /** Clockwise distance from this id to {@code other}: in [0, 2^160). */
    public BigInteger clockwiseDistanceTo(Id other) {
        return other.toBigInteger().subtract(toBigInteger()).mod(RING);
    }

    /** Whether this id is strictly closer to {@code key} than {@code other} is; ties go to the lower id. */
    public boolean isCloserTo(Id key, Id other) {
        int c = distance(key).compareTo(other.distance(key));
        return c < 0 || (c == 0 && compareTo(other) < 0);
    }

    /** This id plus {@code value} (mod 2^160). */
    public Id add(BigInteger value) {
        return fromBigInteger(toBigInteger().add(value));
    }

    @Override
    public int compareTo(Id other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Id && Arrays.equals(bytes, ((Id) o).bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The first 8 hex digits: enough to tell ids apart in logs. */
    @Override
    public String toString() {
        return "<" + toHex().substring(0, 8) + ">";
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
