package org.epost.spam.puzzle;

import java.security.PublicKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.epost.post.notify.Notification;
import org.epost.spam.policy.SpamFormatException;

/**
 * The recipient's home peer's check of a first-contact notification's puzzle. Each check counts one first contact
 * of the sender's key ({@link FirstContactRate}) and demands the difficulty that count earns
 * ({@link PuzzleDifficulty#demandedBits}). A puzzle fails when it is missing, malformed, does not solve the puzzle of
 * this notification (wrong sender key, recipient key, id or date: a puzzle solved for another one), is for a date
 * further than {@code maxAgeMillis} in the past (or the clock skew in the future), or is too easy.
 * A notification that passed and is handed over again (a retry after an append failed, or a copy a delegate kept)
 * passes again without counting as another first contact: its puzzle is bound to its id, so it cannot serve any
 * other notification, and a notification delivered already is refused before this check as a duplicate (the home
 * peer's seen ids). Passed puzzles are remembered as long as they are fresh, at most {@code maxPassed} of them (the
 * oldest forgotten first). Thread-safe.
 */
public final class PuzzleVerifier {
    /** How far in the future a notification's date may be (clocks differ). */
    public static final long CLOCK_SKEW_MILLIS = 10 * 60_000L;

    private final PuzzleDifficulty difficulty;
    private final FirstContactRate rate;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    private final Map<String, Long> passed;

    public PuzzleVerifier(PuzzleDifficulty difficulty, long maxAgeMillis, int maxSenders, int maxPassed,
                          LongSupplier clock) {
        this.difficulty = Objects.requireNonNull(difficulty, "difficulty");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rate = new FirstContactRate(difficulty.windowMillis(), maxSenders, clock);
        if (maxAgeMillis < 1 || maxPassed < 1) {
            throw new IllegalArgumentException("a positive maximum age and passed count");
        }
        this.maxAgeMillis = maxAgeMillis;
        this.passed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxPassed || eldest.getValue() < clock.getAsLong() - maxAgeMillis;
            }
        };
    }

    /**
     * Why {@code notification}, from {@code sender} to {@code recipient}, has no valid puzzle; empty when it has.
     *
     * @param baseBits the base difficulty the recipient's home peer publishes for them (escalation comes on top)
     */
    public Optional<String> failure(Notification notification, PublicKey sender, PublicKey recipient, int baseBits) {
        String from = HexFormat.of().formatHex(sender.getEncoded());
        byte[] seed = PuzzleSeed.of(sender, recipient, notification.id(), notification.date());
        String key = HexFormat.of().formatHex(seed);
        synchronized (passed) {
            if (notification.hasPuzzle() && passed.containsKey(key)) {
                return Optional.empty();
            }
        }
        int bits = difficulty.withBase(Math.min(baseBits, PuzzleDifficulty.MAX_BITS)).demandedBits(rate.record(from));
        if (!notification.hasPuzzle()) {
            return Optional.of("no puzzle (" + bits + " bits asked)");
        }
        long now = clock.getAsLong();
        if (notification.date() < now - maxAgeMillis || notification.date() > now + CLOCK_SKEW_MILLIS) {
            return Optional.of("stale: the notification's date is " + (now - notification.date()) / 1000
                + " s from now");
        }
        Puzzle puzzle;
        try {
            puzzle = Puzzle.decode(notification.puzzle());
        } catch (SpamFormatException e) {
            return Optional.of("malformed puzzle: " + e.getMessage());
        }
        String invalid = PuzzleSolver.check(seed, puzzle, bits);
        if (invalid != null) {
            return Optional.of(invalid.startsWith("too easy") ? invalid
                : "not a solution of this notification's puzzle (forged, or bound to another one): " + invalid);
        }
        synchronized (passed) {
            passed.put(key, notification.date());
        }
        return Optional.empty();
    }
}
