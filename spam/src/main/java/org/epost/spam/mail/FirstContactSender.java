package org.epost.spam.mail;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.epost.post.delivery.NotificationSender;
import org.epost.post.delivery.RelayAccount;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.spam.policy.SpamCounters;
import org.epost.spam.puzzle.FirstContactRate;
import org.epost.spam.puzzle.PuzzleDifficulty;
import org.epost.spam.puzzle.PuzzleSeed;
import org.epost.spam.puzzle.PuzzleSolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of first-contact puzzles: a notification from one of this peer's users to someone the user has not
 * exchanged mail with ({@link AccountLogCorrespondents}) gets a puzzle solved at the difficulty of the user's own
 * recent first contacts ({@link PuzzleDifficulty#senderBits}, at least what any recipient's peer demands), from the
 * base the recipient's identity block publishes (capped at {@code maxPublishedBits}, on a peer
 * {@link PuzzleDifficulty#MAX_PUBLISHED_BITS}); once sent,
 * the recipient is known. Mail the peer's relay account signs (from outside ePOST) carries none: the puzzle prices an
 * ePOST sender's first contacts, and mail to oneself needs none either. The account log is read and written on {@code io}, puzzles are solved on
 * {@code solving}, never on the caller's thread (a bulk sender's puzzles then queue behind each other there, not
 * in front of other users' known-correspondent checks).
 */
public final class FirstContactSender implements NotificationSender {
    private static final Logger LOG = LoggerFactory.getLogger(FirstContactSender.class);

    private final NotificationSender send;
    private final AccountLogCorrespondents known;
    private final PuzzleKeys keys;
    private final PuzzleDifficulty difficulty;
    private final int maxPublishedBits;
    private final FirstContactRate rate;
    private final SpamCounters counters;
    private final Executor io;
    private final Executor solving;

    public FirstContactSender(NotificationSender send, AccountLogCorrespondents known, PuzzleKeys keys,
                              PuzzleDifficulty difficulty, int maxPublishedBits, FirstContactRate rate,
                              SpamCounters counters,
                              Executor io, Executor solving) {
        this.send = Objects.requireNonNull(send, "send");
        this.known = Objects.requireNonNull(known, "known");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.difficulty = Objects.requireNonNull(difficulty, "difficulty");
        if (maxPublishedBits < 0 || maxPublishedBits > PuzzleDifficulty.MAX_BITS) {
            throw new IllegalArgumentException("a cap of 0 to " + PuzzleDifficulty.MAX_BITS + " bits");
        }
        this.maxPublishedBits = maxPublishedBits;
        this.rate = Objects.requireNonNull(rate, "rate");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.io = Objects.requireNonNull(io, "io");
        this.solving = Objects.requireNonNull(solving, "solving");
    }

    @Override
    public CompletableFuture<Outcome> send(Notification notification, Optional<String> returnPath) {
        if (notification.sender().endsWith("@" + RelayAccount.DOMAIN) || notification.hasPuzzle()
                || notification.sender().equals(notification.recipient())) {
            return send.send(notification, returnPath);
        }
        return CompletableFuture.supplyAsync(() -> known.of(notification.sender()).knows(notification.recipient()),
                io)
            .thenCompose(knows -> knows ? CompletableFuture.completedFuture(notification) : solved(notification))
            .thenCompose(ready -> send.send(ready, returnPath))
            .thenApplyAsync(outcome -> {
                known.learn(notification.sender(), notification.recipient());
                return outcome;
            }, io);
    }

    private CompletableFuture<Notification> solved(Notification notification) {
        Optional<PublicKey> own = keys.local(notification.sender());
        if (own.isEmpty()) {
            // not a user of this peer (the caller signs only for those): nothing to bind a puzzle to
            return CompletableFuture.completedFuture(notification);
        }
        return keys.recipient(notification.recipient()).thenApplyAsync(recipient -> {
            int bits = difficulty.withBase(base(notification, recipient))
                .senderBits(rate.record(notification.sender()));
            long start = System.nanoTime();
            byte[] seed = PuzzleSeed.of(own.get(), recipient.signingKey(), notification.id(), notification.date());
            byte[] puzzle = PuzzleSolver.solve(seed, bits).encode();
            counters.puzzleSolved();
            LOG.info("Solved a {}-bit first-contact puzzle from {} to {} in {} ms (notification {})", bits,
                notification.sender(), notification.recipient(), (System.nanoTime() - start) / 1_000_000,
                notification.idHex());
            return notification.withPuzzle(puzzle);
        }, solving);
    }

    /** The base the recipient's identity publishes, capped: a hostile peer must not make this peer solve for hours. */
    private int base(Notification notification, PuzzleRecipient recipient) {
        int published = recipient.publishedBits().orElse(difficulty.baseBits());
        if (published > maxPublishedBits) {
            LOG.warn("The identity of {} asks first contacts for a {}-bit puzzle; solving at most {} bits (the"
                + " recipient's peer may junk or refuse it) for notification {} from {}", notification.recipient(),
                published, maxPublishedBits, notification.idHex(), notification.sender());
            return maxPublishedBits;
        }
        return published;
    }
}
