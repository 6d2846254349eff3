package org.epost.spam.puzzle;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.post.accounts.UserKeys;
import org.epost.post.notify.Notification;
import org.junit.jupiter.api.Test;

/** Each way a first-contact puzzle can be bad is refused with its reason; a good one passes once. */
class PuzzleVerifierTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long DAY = 86_400_000L;
    private static final PublicKey ALICE = UserKeys.generate().signingPublicKey();
    private static final PublicKey BOB = UserKeys.generate().signingPublicKey();
    private static final PublicKey CAROL = UserKeys.generate().signingPublicKey();

    private final AtomicLong clock = new AtomicLong(NOW);
    private final PuzzleDifficulty difficulty = new PuzzleDifficulty(0, 2, DAY);
    private final PuzzleVerifier verifier = new PuzzleVerifier(difficulty, 7 * DAY, 100, 100, clock::get);

    private static Notification notification(long date) {
        return Notification.create("alice@epost.test", "bob@epost.test", "hello", date, List.of(new byte[] {1}), 1);
    }

    private static Notification solved(Notification n, PublicKey to, int bits) {
        return n.withPuzzle(PuzzleSolver.solve(PuzzleSeed.of(ALICE, to, n.id(), n.date()), bits).encode());
    }

    @Test
    void aPuzzleSolvedForThisNotificationPassesAgainWhenHandedOverAgainWithoutCountingTwice() {
        Notification n = solved(notification(NOW), BOB, 0);
        assertThat(verifier.failure(n, ALICE, BOB)).isEmpty();
        for (int retry = 0; retry < 100; retry++) {
            assertThat(verifier.failure(n, ALICE, BOB)).isEmpty();
        }
        // one first contact counted, so the sender's next one is still asked the base difficulty
        assertThat(verifier.failure(solved(notification(NOW + 1), BOB, 0), ALICE, BOB)).isEmpty();
    }

    @Test
    void aMissingPuzzleFails() {
        assertThat(verifier.failure(notification(NOW), ALICE, BOB)).get().asString().startsWith("no puzzle");
    }

    @Test
    void aPuzzleBoundToAnotherRecipientSenderOrNotificationFails() {
        Notification forCarol = solved(notification(NOW), CAROL, 0);
        assertThat(verifier.failure(forCarol, ALICE, BOB)).get().asString().startsWith("not a solution");
        Notification n = solved(notification(NOW), BOB, 0);
        assertThat(verifier.failure(n, CAROL, BOB)).get().asString().startsWith("not a solution");
        Notification other = notification(NOW).withPuzzle(n.puzzle());
        assertThat(verifier.failure(other, ALICE, BOB)).get().asString().startsWith("not a solution");
    }

    @Test
    void aStaleOrFutureNotificationFails() {
        Notification old = solved(notification(NOW - 8 * DAY), BOB, 0);
        assertThat(verifier.failure(old, ALICE, BOB)).get().asString().startsWith("stale");
        Notification future = solved(notification(NOW + PuzzleVerifier.CLOCK_SKEW_MILLIS + 60_000), BOB, 0);
        assertThat(verifier.failure(future, ALICE, BOB)).get().asString().startsWith("stale");
        Notification recent = solved(notification(NOW - 6 * DAY), BOB, 0);
        assertThat(verifier.failure(recent, ALICE, BOB)).isEmpty();
    }

    @Test
    void aMalformedPuzzleFails() {
        Notification n = notification(NOW).withPuzzle(new byte[] {1, 2, 3});
        assertThat(verifier.failure(n, ALICE, BOB)).get().asString().startsWith("malformed puzzle");
    }

    @Test
    void aBulkSenderIsAskedMoreAndAnEasyPuzzleThenFails() {
        // 2 free first contacts a window; after 8 the verifier asks base + log2(1 + 8/2) - 1 = 1 bit
        for (int i = 0; i < 8; i++) {
            verifier.failure(notification(NOW), ALICE, BOB);
        }
        Notification easy = easiest(notification(NOW));
        assertThat(verifier.failure(easy, ALICE, BOB)).get().asString().startsWith("too easy");
        // a sender solving at its own level (it counted the same 9 first contacts) passes
        Notification n = solved(notification(NOW), BOB, difficulty.senderBits(9));
        assertThat(verifier.failure(n, ALICE, BOB)).isEmpty();
        // two windows later the count has gone
        clock.addAndGet(2 * DAY);
        assertThat(verifier.failure(solved(notification(clock.get()), BOB, 0), ALICE, BOB)).isEmpty();
    }

    /** A valid solution with 0 difficulty bits (its hash starts with a one). */
    private static Notification easiest(Notification n) {
        byte[] seed = PuzzleSeed.of(ALICE, BOB, n.id(), n.date());
        for (long nonce = 0; ; nonce++) {
            for (int[] solution : EquihashSolver.solve(seed, nonce)) {
                if (Equihash.difficultyBits(seed, nonce, solution) == 0) {
                    return n.withPuzzle(new Puzzle(nonce, solution).encode());
                }
            }
        }
    }
}
