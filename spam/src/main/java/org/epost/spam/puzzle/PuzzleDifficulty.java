package org.epost.spam.puzzle;

/**
 * How hard a first-contact puzzle is: {@code baseBits} for a sender's first {@code freePerWindow} first contacts in a
 * window, then one more bit (twice the expected work) each time the count doubles:
 * {@code bits = baseBits + floor(log2(1 + count / freePerWindow))}, where {@code count} is the sender's first
 * contacts already made in the current and previous window. The sending peer solves at the level of its own count;
 * a recipient's peer demands the level of the count it saw, one bit less (its window edges differ from the sender's:
 * notifications are counted on arrival there), never below the base.
 */
public record PuzzleDifficulty(int baseBits, int freePerWindow, long windowMillis) {
    public static final int MAX_BITS = 40;
    /**
     * The most base bits a sender solves at whatever a recipient's peer publishes (2^8 / 2.3 Equihash instances, about
     * 18 s of one core here): a hostile or misconfigured peer must not make senders burn hours on one first mail.
     */
    public static final int MAX_PUBLISHED_BITS = 8;

    public PuzzleDifficulty {
        if (baseBits < 0 || baseBits > MAX_BITS || freePerWindow < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("base bits 0.." + MAX_BITS + ", a positive allowance and window");
        }
    }

    /** Base 0 bits (one Equihash solution), 20 free first contacts a day: see the README's measurements. */
    public static PuzzleDifficulty defaults() {
        return new PuzzleDifficulty(0, 20, 86_400_000L);
    }

    /** The same schedule from another base (the one a recipient's home peer publishes). */
    public PuzzleDifficulty withBase(int bits) {
        return new PuzzleDifficulty(bits, freePerWindow, windowMillis);
    }

    /** The bits a sender solves at after {@code count} recent first contacts. */
    public int senderBits(long count) {
        return Math.min(MAX_BITS, baseBits + log2(1 + count / freePerWindow));
    }

    /** The bits a recipient's peer demands after it saw {@code count} recent first contacts of the sender. */
    public int demandedBits(long count) {
        return Math.max(baseBits, senderBits(count) - 1);
    }

    private static int log2(long value) {
        return 63 - Long.numberOfLeadingZeros(value);
    }
}
