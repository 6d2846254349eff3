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

    private static final long LOW_MASK = 0xffffffffL;

    private final byte[] bytes;
    private final int hash;
    /*
     * The same 160 bits as three words (64 + 64 + 32, most significant first), so that the routing hot paths can
     * compare ring distances without allocating BigIntegers.
     */
    private final long high;
    private final long middle;
    private final long low;

    private Id(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
        this.high = word(bytes, 0, 8);
        this.middle = word(bytes, 8, 8);
        this.low = word(bytes, 16, 4);
    }

    private static long word(byte[] bytes, int from, int length) {
        long w = 0;
        for (int i = from; i < from + length; i++) {
            w = (w << 8) | (bytes[i] & 0xff);
        }
        return w;
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
        int c = key.compareDistances(this, other);
        return c < 0 || (c == 0 && compareTo(other) < 0);
    }

    /**
     * Compares the ring distances of {@code a} and {@code b} to this id (negative: a is closer), as
     * {@code a.distance(this).compareTo(b.distance(this))} would, without allocating.
     */
    public int compareDistances(Id a, Id b) {
        return Words.ringDistance(a, this).compareTo(Words.ringDistance(b, this));
    }

    /**
     * Compares the clockwise distances from this id to {@code a} and to {@code b} (negative: a comes first going
     * clockwise), as {@code clockwiseDistanceTo(a).compareTo(clockwiseDistanceTo(b))} would, without allocating.
     */
    public int compareClockwise(Id a, Id b) {
        return Words.difference(a, this).compareTo(Words.difference(b, this));
    }

    /** Whether {@code id} lies on the clockwise arc from this id to {@code end}, both ends included. */
    public boolean arcContains(Id id, Id end) {
        return compareClockwise(id, end) <= 0;
    }

    /** A 160-bit unsigned value as three words; small and short-lived, so escape analysis usually removes it. */
    private record Words(long high, long middle, long low) implements Comparable<Words> {

        /** (y - x) mod 2^160. */
        static Words difference(Id y, Id x) {
            long lo = y.low - x.low;
            long borrow = lo < 0 ? 1 : 0;
            lo &= LOW_MASK;
            long mid = y.middle - x.middle - borrow;
            long borrowOut = Long.compareUnsigned(y.middle, x.middle) < 0 || (borrow == 1 && y.middle == x.middle) ? 1 : 0;
            long hi = y.high - x.high - borrowOut;
            return new Words(hi, mid, lo);
        }

        /** min(|y - x|, 2^160 - |y - x|): the shorter way round. */
        static Words ringDistance(Id y, Id x) {
            Words d = difference(y, x);
            return d.high < 0 ? d.negate() : d; // top bit set: more than half the ring, go the other way
        }

        private Words negate() {
            long nlo = (-low) & LOW_MASK;
            long carry = low == 0 ? 1 : 0;
            long nmid = ~middle + carry;
            long carryOut = carry == 1 && middle == 0 ? 1 : 0;
            long nhi = ~high + carryOut;
            return new Words(nhi, nmid, nlo);
        }

        @Override
        public int compareTo(Words o) {
            int c = Long.compareUnsigned(high, o.high);
            if (c == 0) {
                c = Long.compareUnsigned(middle, o.middle);
            }
            return c != 0 ? c : Long.compare(low, o.low);
        }
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
        if (this == o) {
            return true;
        }
        // the words hold exactly the bytes; comparing them is cheaper than Arrays.equals in the routing hot paths
        return o instanceof Id other && hash == other.hash && low == other.low && middle == other.middle
                && high == other.high;
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
