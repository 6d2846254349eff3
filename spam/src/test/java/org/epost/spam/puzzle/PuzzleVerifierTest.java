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
        assertThat(verifier.failure(n, ALICE, BOB, 0)).isEmpty();
        for (int retry = 0; retry < 100; retry++) {
            assertThat(verifier.failure(n, ALICE, BOB, 0)).isEmpty();
        }
        // one first contact counted, so the sender's next one is still asked the base difficulty
        assertThat(verifier.failure(solved(notification(NOW + 1), BOB, 0), ALICE, BOB, 0)).isEmpty();
    }

    @Test
    void aMissingPuzzleFails() {
        assertThat(verifier.failure(notification(NOW), ALICE, BOB, 0)).get().asString().startsWith("no puzzle");
    }

    @Test
    void aPuzzleBoundToAnotherRecipientSenderOrNotificationFails() {
        Notification forCarol = solved(notification(NOW), CAROL, 0);
        assertThat(verifier.failure(forCarol, ALICE, BOB, 0)).get().asString().startsWith("not a solution");
        Notification n = solved(notification(NOW), BOB, 0);
        assertThat(verifier.failure(n, CAROL, BOB, 0)).get().asString().startsWith("not a solution");
        Notification other = notification(NOW).withPuzzle(n.puzzle());
        assertThat(verifier.failure(other, ALICE, BOB, 0)).get().asString().startsWith("not a solution");
    }

    @Test
    void aStaleOrFutureNotificationFails() {
        Notification old = solved(notification(NOW - 8 * DAY), BOB, 0);
        assertThat(verifier.failure(old, ALICE, BOB, 0)).get().asString().startsWith("stale");
        Notification future = solved(notification(NOW + PuzzleVerifier.CLOCK_SKEW_MILLIS + 60_000), BOB, 0);
        assertThat(verifier.failure(future, ALICE, BOB, 0)).get().asString().startsWith("stale");
        Notification recent = solved(notification(NOW - 6 * DAY), BOB, 0);
        assertThat(verifier.failure(recent, ALICE, BOB, 0)).isEmpty();
    }

    @Test
    void aMalformedPuzzleFails() {
        Notification n = notification(NOW).withPuzzle(new byte[] {1, 2, 3});
        assertThat(verifier.failure(n, ALICE, BOB, 0)).get().asString().startsWith("malformed puzzle");
    }

    @Test
    void aBulkSenderIsAskedMoreAndAnEasyPuzzleThenFails() {
        // 2 free first contacts a window; after 8 the verifier asks base + log2(1 + 8/2) - 1 = 1 bit
        for (int i = 0; i < 8; i++) {
            verifier.failure(notification(NOW), ALICE, BOB, 0);
        }
        Notification easy = easiest(notification(NOW));
        assertThat(verifier.failure(easy, ALICE, BOB, 0)).get().asString().startsWith("too easy");
        // a sender solving at its own level (it counted the same 9 first contacts) passes
        Notification n = solved(notification(NOW), BOB, difficulty.senderBits(9));
        assertThat(verifier.failure(n, ALICE, BOB, 0)).isEmpty();
        // two windows later the count has gone
        clock.addAndGet(2 * DAY);
        assertThat(verifier.failure(solved(notification(clock.get()), BOB, 0), ALICE, BOB, 0)).isEmpty();
    }

    @Test
    void theBaseTheRecipientsPeerPublishesIsDemandedAndEscalationComesOnTop() {
        Notification easy = easiest(notification(NOW));
        assertThat(verifier.failure(easy, ALICE, BOB, 2)).get().asString()
            .isEqualTo("too easy: 0 bits of difficulty, 2 asked");
        Notification atBase = solved(notification(NOW + 1), BOB, 2);
        assertThat(verifier.failure(atBase, ALICE, BOB, 2)).isEmpty();
        // 8 more first contacts: base 2 + log2(1 + 10/2) - 1 = 3 bits asked
        for (int i = 0; i < 8; i++) {
            verifier.failure(notification(NOW), ALICE, BOB, 2);
        }
        Notification twoBits = exactly(notification(NOW + 2), 2);
        assertThat(verifier.failure(twoBits, ALICE, BOB, 2)).get().asString()
            .isEqualTo("too easy: 2 bits of difficulty, 3 asked");
        assertThat(verifier.failure(solved(notification(NOW + 3), BOB, 3), ALICE, BOB, 2)).isEmpty();
    }

    /** A valid solution with 0 difficulty bits (its hash starts with a one). */
    private static Notification easiest(Notification n) {
        return exactly(n, 0);
    }

    /** A valid solution with exactly {@code bits} difficulty bits. */
    private static Notification exactly(Notification n, int bits) {
        byte[] seed = PuzzleSeed.of(ALICE, BOB, n.id(), n.date());
        for (long nonce = 0; ; nonce++) {
            for (int[] solution : EquihashSolver.solve(seed, nonce)) {
                if (Equihash.difficultyBits(seed, nonce, solution) == bits) {
                    return n.withPuzzle(new Puzzle(nonce, solution).encode());
                }
            }
        }
    }
}
