package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationRefusedException;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.notify.RefusalReason;
import org.epost.spam.puzzle.Puzzle;
import org.epost.spam.puzzle.PuzzleSeed;
import org.epost.spam.puzzle.PuzzleSolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad first-contact puzzles from a hostile sender on a real 3-peer ring (epost-ring, base port 32000; the hostile
 * node listens on 32900): mallory, a real ePOST user homed on a node of her own ({@link HostileSender}, certified by
 * the ring's CAs), sends bob (homed on peer2, who chose a 3-bit base) properly signed and sealed notifications of real
 * stored messages with no puzzle, a puzzle bound to another recipient, a puzzle solved for another notification, a
 * stale one and one too easy. Each is received (bob's peer answers a signed receipt), lands in bob's Junk and never in
 * his INBOX, bob's peer logs why, and {@code puzzlesFailed} rises. With bob refusing first contacts, one more comes
 * back to mallory's node as a signed refusal and lands nowhere; a properly solved first contact then lands in INBOX.
 */
class EpostHostilePuzzleIT {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String BOB = "bob@epost.test";
    private static final String CHOICE = "/epost/spam/users/" + BOB + "/first-contact";
    private static final int BASE_BITS = 3;
    private static Ring ring;
    private static HostileSender mallory;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("hostile-puzzle-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 32000);
        ring.up(3);
        mallory = HostileSender.join(data, data.resolve("mallory"), 32900, "127.0.0.1:" + ring.port(1, "overlay"));
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (mallory != null) {
            mallory.close();
        }
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void forgedReplayedStaleAndTooEasyPuzzlesAreJunkedOrRefusedAndLoggedAndAValidOneLands() throws Exception {
        assertThat(ring.webAdmin(2, "PUT", CHOICE + "/base-bits/" + BASE_BITS, null).statusCode()).isEqualTo(200);
        PublicKey from = mallory.signingKey(HostileSender.MALLORY);
        PublicKey bob = mallory.signingKey(BOB);
        PublicKey alice = mallory.signingKey("alice@epost.test");
        long failed = spam("puzzlesFailed");
        long now = System.currentTimeMillis();

        Notification none = mallory.store(BOB, marker("no-puzzle"), now);
        Notification forged = mallory.store(BOB, marker("forged"), now);
        forged = forged.withPuzzle(solve(from, alice, forged, BASE_BITS));
        Notification other = mallory.store(BOB, marker("other"), now);
        Notification replayed = mallory.store(BOB, marker("replayed"), now);
        replayed = replayed.withPuzzle(solve(from, bob, other, BASE_BITS));
        Notification stale = mallory.store(BOB, marker("stale"), now - Duration.ofDays(8).toMillis());
        stale = stale.withPuzzle(solve(from, bob, stale, BASE_BITS));
        Notification easy = tooEasy(from, bob);

        List<Notification> bad = List.of(none, forged, replayed, stale, easy);
        List<String> reasons = List.of("no puzzle (3 bits asked)", "not a solution of this notification's puzzle",
            "not a solution of this notification's puzzle", "stale: the notification's date is", "too easy");
        for (Notification notification : bad) {
            assertThat(mallory.send(notification).get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a signed receipt for "
                + notification.subject()).isEqualTo(Outcome.DELIVERED);
        }
        for (int i = 0; i < bad.size(); i++) {
            Notification notification = bad.get(i);
            String reason = reasons.get(i);
            EpostSpamIT.await(notification.subject() + " in bob's Junk",
                () -> contains(junk(), notification.subject()));
            assertThat(read("INBOX")).noneMatch(m -> m.contains(notification.subject()));
            EpostSpamIT.await("the reason for " + notification.subject() + " in peer2's log", () -> logged(
                "Junked first-contact mail from " + HostileSender.MALLORY + " for " + BOB, reason,
                notification.idHex()));
        }
        assertThat(spam("puzzlesFailed")).isEqualTo(failed + bad.size());

        assertThat(ring.webAdmin(2, "PUT", CHOICE + "/refuse/true", null).statusCode()).isEqualTo(204);
        try {
            Notification refused = mallory.store(BOB, marker("refused"), System.currentTimeMillis());
            assertThat(mallory.send(refused)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(NotificationRefusedException.class, e ->
                    assertThat(e.reason()).isEqualTo(RefusalReason.NO_FIRST_CONTACT_PUZZLE));
            assertThat(logged("Refused first-contact mail from " + HostileSender.MALLORY + " for " + BOB,
                "no puzzle", refused.idHex())).isTrue();
            assertThat(spam("puzzlesFailed")).isEqualTo(failed + bad.size() + 1);
            assertThat(read("INBOX")).noneMatch(m -> m.contains(refused.subject()));
            assertThat(junk()).noneMatch(m -> m.contains(refused.subject()));

            long checked = spam("puzzlesChecked");
            Notification valid = mallory.store(BOB, marker("valid"), System.currentTimeMillis());
            valid = valid.withPuzzle(solve(from, bob, valid, BASE_BITS));
            assertThat(mallory.send(valid).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Outcome.DELIVERED);
            String subject = valid.subject();
            EpostSpamIT.await("the valid first contact in bob's INBOX", () -> contains(read("INBOX"), subject));
            assertThat(spam("puzzlesChecked")).isEqualTo(checked + 1);
            assertThat(spam("puzzlesFailed")).isEqualTo(failed + bad.size() + 1);
        } finally {
            ring.webAdmin(2, "DELETE", CHOICE + "/refuse", null);
            ring.webAdmin(2, "DELETE", CHOICE + "/base-bits", null);
        }
    }

    /** A puzzle of mallory's to {@code recipient} for {@code notification}'s id and date, at {@code bits}. */
    private static byte[] solve(PublicKey sender, PublicKey recipient, Notification notification, int bits) {
        return PuzzleSolver.solve(PuzzleSeed.of(sender, recipient, notification.id(), notification.date()), bits)
            .encode();
    }

    /** A notification whose puzzle is a real solution of its own seed, below bob's base (most 0-bit ones are). */
    private static Notification tooEasy(PublicKey sender, PublicKey bob) throws Exception {
        while (true) {
            Notification notification = mallory.store(BOB, marker("too-easy"), System.currentTimeMillis());
            byte[] seed = PuzzleSeed.of(sender, bob, notification.id(), notification.date());
            Puzzle puzzle = PuzzleSolver.solve(seed, 0);
            if (PuzzleSolver.check(seed, puzzle, BASE_BITS) != null) {
                return notification.withPuzzle(puzzle.encode());
            }
        }
    }

    private static String marker(String what) {
        return "hostile-" + what + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static long spam(String counter) throws Exception {
        return ring.webAdminJson(2, "/epost/status").get("spam").get(counter).asLong();
    }

    /** Whether one line of peer2's console log has all of {@code parts}. */
    private static boolean logged(String... parts) throws Exception {
        Path log = ring.peerDirectory(2).resolve("logs/console.log");
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> List.of(parts).stream().allMatch(line::contains));
        }
    }

    private static List<String> read(String mailbox) throws Exception {
        return ImapFolders.read(ring, 2, BOB, mailbox);
    }

    /** Bob's junk folder: {@code Junk} if he has one, else the {@code Spam} his peer creates. */
    private static List<String> junk() throws Exception {
        List<String> junk = read("Junk");
        return junk.isEmpty() ? read("Spam") : junk;
    }

    private static boolean contains(List<String> messages, String marker) {
        return messages.stream().anyMatch(m -> m.contains(marker));
    }
}
