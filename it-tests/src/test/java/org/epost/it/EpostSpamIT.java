package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Junk learning on a real 3-peer ring (epost-ring, base port 42000): alice (peer1) mails bob (peer2); bob's mail
 * client moves it to Junk over IMAP, and alice's next mail lands in bob's Junk folder, not his INBOX; moved back to
 * INBOX, alice is unblocked and her mail arrives in INBOX again. Nothing is dropped: every message is found in one of
 * the two folders. The organization's list, changed on peer3, junks carol's mail on peers 1 and 2. Carol's first
 * authenticated mail to bob carries a first-contact puzzle, solved on peer3 and checked on peer2; her next does not.
 * Carol follows the list bob publishes from his own, bob blocks a sender, and mail from that sender lands in her
 * Junk; a domain set to discard refuses mail from a sender on the organization's list, and the sender's SMTP client
 * is told so. Bob unpublishes his list and carol's peer drops it. Alice chooses a puzzle base of 1 bit and to refuse
 * first contacts without a valid puzzle: her home peer publishes it in her identity block, and carol's first mail to
 * her, solved at that base on peer3, lands in her INBOX. Carol follows a team list alice owns and bob edits: mail from
 * bob's entry lands in her Junk until alice removes bob from the team. The waits only bound a hung ring; nothing
 * asserts on speed.
 */
class EpostSpamIT {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String BLOCKED = "/epost/spam/users/" + BOB + "/blocked";
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("spam-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 42000);
        ring.up(3);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    private static String send(String subject) throws Exception {
        return send(1, ALICE, BOB, subject);
    }

    private static String send(int peer, String from, String to, String subject) throws Exception {
        String marker = subject + "-" + UUID.randomUUID().toString().replace("-", "");
        Command.Result sent = Clients.swaksRun(ring.port(peer, "smtp"), WAIT, "--from", from, "--to", to,
            "--header", "Subject: " + marker, "--body", "body of " + marker, "--timeout", "180")
            .assertSuccess("swaks");
        assertThat(sent.stdout()).contains("250 2.6.0 Message received");
        return marker;
    }

    private static List<String> read(String mailbox) throws Exception {
        return read(2, BOB, mailbox);
    }

    private static List<String> read(int peer, String user, String mailbox) throws Exception {
        return ImapFolders.read(ring, peer, user, mailbox);
    }

    static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(2_000);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static Predicate<List<String>> containing(String marker) {
        return messages -> messages.stream().anyMatch(m -> m.contains(marker));
    }

    private static void move(String from, String to, String marker) throws Exception {
        Command.Result result = Command.run(Path.of("."), WAIT, List.of("python3",
            Clients.script("imap_move.py").toString(), "127.0.0.1", String.valueOf(ring.port(2, "imap")), BOB,
            ring.demoPassword(), from, to, marker)).assertSuccess("imap_move.py");
        assertThat(result.stdout()).contains("\"moved\": 1");
    }

    private static List<String> blocked() throws Exception {
        List<String> entries = new ArrayList<>();
        ring.webAdminJson(2, BLOCKED).get("entries").forEach(entry -> entries.add(entry.asText()));
        return entries;
    }

    @Test
    void movingToJunkBlocksTheSenderAndMovingBackUnblocks() throws Exception {
        String first = send("first");
        await("the first mail in bob's INBOX", () -> containing(first).test(read("INBOX")));
        assertThat(blocked()).isEmpty();

        move("INBOX", "Junk", first);
        await("alice on bob's block list", () -> blocked().contains(ALICE));

        String second = send("second");
        await("the second mail in bob's Junk", () -> containing(second).test(read("Junk")));
        assertThat(read("INBOX")).noneMatch(m -> m.contains(second));
        JsonNode status = ring.webAdminJson(2, "/epost/status");
        assertThat(status.get("spam").get("junked").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(status.get("spam").get("learnedBlocks").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(ring.webAdmin(2, "GET", "/metrics", null).body()).containsPattern("(?m)^epost_spam_junked [1-9]");

        move("Junk", "INBOX", second);
        await("alice off bob's block list", () -> blocked().isEmpty());

        String third = send("third");
        await("the third mail in bob's INBOX", () -> containing(third).test(read("INBOX")));
        assertThat(read("Junk")).noneMatch(m -> m.contains(third)).anyMatch(m -> m.contains(first));
    }

    @Test
    void theOrganizationListPublishedOnOnePeerBlocksAtEveryPeer() throws Exception {
        String carol = "carol@epost.test";
        String organization = "/epost/spam/organization/blocked";
        long before = ring.webAdminJson(2, organization).get("version").asLong(); // other tests publish too
        assertThat(ring.webAdmin(3, "PUT", organization + "/" + carol, null).statusCode()).isEqualTo(204);
        for (int peer = 1; peer <= 2; peer++) {
            int asked = peer;
            await("carol on the organization list as peer" + asked + " sees it", () ->
                ring.webAdminJson(asked, organization).get("entries").toString().contains(carol));
        }

        String toAlice = send(3, carol, ALICE, "org-alice");
        String toBob = send(3, carol, BOB, "org-bob");
        await("carol's mail in alice's Junk on peer1", () -> containing(toAlice).test(read(1, ALICE, "Spam")));
        await("carol's mail in bob's Junk on peer2", () -> containing(toBob).test(read(2, BOB, "Junk")
            .isEmpty() ? read(2, BOB, "Spam") : read(2, BOB, "Junk")));
        assertThat(read(1, ALICE, "INBOX")).noneMatch(m -> m.contains(toAlice));

        assertThat(ring.webAdmin(1, "DELETE", organization + "/" + carol, null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(2, organization).get("entries")).isEmpty();
        assertThat(ring.webAdminJson(2, organization).get("version").asLong()).isEqualTo(before + 2);
        String after = send(3, carol, ALICE, "org-after");
        await("carol's mail in alice's INBOX again", () -> containing(after).test(read(1, ALICE, "INBOX")));
    }

    @Test
    void theSubmissionPortDefersRecipientsPastAUsersSendingLimit() throws Exception {
        // the limit of the shipped smtpserver.xml: 100 recipients at once, then 300 an hour; one session of 101
        List<String> arguments = new ArrayList<>(List.of("-tls", "--auth", "PLAIN", "--auth-user", ALICE,
            "--auth-password", ring.demoPassword(), "--from", ALICE, "--to",
            String.join(",", java.util.Collections.nCopies(101, BOB)), "--quit-after", "RCPT", "--timeout", "180"));
        Command.Result session = Clients.swaksRun(ring.port(1, "submission"), WAIT, arguments.toArray(String[]::new));

        // swaks shows server lines as "<-" before STARTTLS and "<~" after it
        long accepted = session.stdout().lines().filter(line -> line.matches("<[-~] +250 2\\.1\\.5.*")).count();
        assertThat(accepted).isEqualTo(100);
        assertThat(session.stdout()).contains("452 4.7.0 Sending limit reached (300 recipients an hour)");
    }

    private static long spam(int peer, String counter) throws Exception {
        return ring.webAdminJson(peer, "/epost/status").get("spam").get(counter).asLong();
    }

    @Test
    void aFirstAuthenticatedMailCarriesAPuzzleAndTheNextDoesNot() throws Exception {
        String carol = "carol@epost.test";
        long solved = spam(3, "puzzlesSolved");
        long checked = spam(2, "puzzlesChecked");
        long failed = spam(2, "puzzlesFailed");
        String first = submit(carol, "puzzle-first");
        await("carol's first mail in bob's INBOX", () -> containing(first).test(read("INBOX")));
        assertThat(spam(3, "puzzlesSolved")).as("solved on carol's peer").isEqualTo(solved + 1);
        assertThat(spam(2, "puzzlesChecked")).as("checked on bob's peer").isEqualTo(checked + 1);
        assertThat(spam(2, "puzzlesFailed")).isEqualTo(failed);
        assertThat(ring.webAdmin(2, "GET", "/metrics", null).body())
            .containsPattern("(?m)^epost_spam_puzzles_checked [1-9]");

        String second = submit(carol, "puzzle-second");
        await("carol's second mail in bob's INBOX", () -> containing(second).test(read("INBOX")));
        assertThat(spam(3, "puzzlesSolved")).as("bob is known to carol now").isEqualTo(solved + 1);
        assertThat(spam(2, "puzzlesChecked")).as("carol is known to bob now").isEqualTo(checked + 1);

        String allowed = "/epost/spam/users/" + BOB + "/allowed";
        assertThat(ring.webAdmin(2, "PUT", allowed + "/@friends.example", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(2, allowed).get("entries").get(0).asText()).isEqualTo("@friends.example");
        assertThat(ring.webAdmin(2, "DELETE", allowed + "/@friends.example", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(2, allowed).get("entries")).isEmpty();
    }

    /** Submits as {@code from} (homed on peer3) on peer3's submission port: the notification is signed by carol. */
    private static String submit(String from, String subject) throws Exception {
        return submit(from, BOB, subject);
    }

    private static String submit(String from, String to, String subject) throws Exception {
        String marker = subject + "-" + UUID.randomUUID().toString().replace("-", "");
        Command.Result sent = Clients.swaksRun(ring.port(3, "submission"), WAIT, "-tls", "--auth", "PLAIN",
            "--auth-user", from, "--auth-password", ring.demoPassword(), "--from", from, "--to", to,
            "--header", "Subject: " + marker, "--body", "body of " + marker, "--timeout", "180")
            .assertSuccess("swaks");
        assertThat(sent.stdout()).contains("250 2.6.0 Message received");
        return marker;
    }

    @Test
    void aBaseAliceChoosesIsPublishedInHerIdentityAndCarolsFirstContactPaysIt() throws Exception {
        String choice = "/epost/spam/users/" + ALICE + "/first-contact";
        assertThat(ring.webAdmin(1, "PUT", choice + "/base-bits/1", null).statusCode()).isEqualTo(200);
        assertThat(ring.webAdminJson(1, choice).get("publishedBits").asInt()).as("in her identity block").isEqualTo(1);
        assertThat(ring.webAdmin(2, "PUT", choice + "/base-bits/1", null).statusCode()).isEqualTo(404);
        HttpResponse<String> tooHard = ring.webAdmin(1, "PUT", choice + "/base-bits/9", null);
        assertThat(tooHard.statusCode()).isEqualTo(400);
        assertThat(tooHard.body()).contains("0 to 8");
        // refusing: a puzzle easier than her base would bounce, so the mail arriving proves carol's peer paid it
        assertThat(ring.webAdmin(1, "PUT", choice + "/refuse/true", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(1, choice).get("refuse").asBoolean()).isTrue();
        try {
            long checked = spam(1, "puzzlesChecked");
            long failed = spam(1, "puzzlesFailed");
            String first = submit("carol@epost.test", ALICE, "base-first");
            await("carol's first mail in alice's INBOX", () -> containing(first).test(read(1, ALICE, "INBOX")));
            assertThat(spam(1, "puzzlesChecked")).as("checked on alice's peer").isEqualTo(checked + 1);
            assertThat(spam(1, "puzzlesFailed")).isEqualTo(failed);
        } finally {
            ring.webAdmin(1, "DELETE", choice + "/refuse", null);
            ring.webAdmin(1, "DELETE", choice + "/base-bits", null);
        }
        assertThat(ring.webAdminJson(1, choice).get("baseBits").isNull()).isTrue();
        assertThat(ring.webAdminJson(1, choice).get("publishedBits").asInt()).as("back to the peer's").isZero();
    }

    @Test
    void anAdminChangesAListOverWebAdminAndBadRequestsAreRefused() throws Exception {
        String carolBlocked = "/epost/spam/users/carol@epost.test/blocked";
        assertThat(ring.webAdmin(3, "PUT", carolBlocked + "/@spam.example", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(3, carolBlocked).get("entries").get(0).asText()).isEqualTo("@spam.example");
        assertThat(ring.webAdmin(3, "DELETE", carolBlocked + "/@spam.example", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(3, carolBlocked).get("entries")).isEmpty();

        HttpResponse<String> bad = ring.webAdmin(3, "PUT", carolBlocked + "/not-an-address", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("address or @domain");
        // carol lives on peer3: peer1 keeps no list for her
        assertThat(ring.webAdmin(1, "PUT", carolBlocked + "/x@y.example", null).statusCode()).isEqualTo(404);
    }

    private static List<String> junk(int peer, String user) throws Exception {
        List<String> junk = read(peer, user, "Junk");
        return junk.isEmpty() ? read(peer, user, "Spam") : junk;
    }

    @Test
    void carolFollowsTheListBobPublishesAndMailFromASenderOnItLandsInHerJunk() throws Exception {
        String carol = "carol@epost.test";
        String pusher = "pusher@lists.example";
        String bobsList = "/epost/spam/users/" + BOB + "/published/blocked";
        String following = "/epost/spam/users/" + carol + "/following";
        assertThat(ring.webAdmin(2, "PUT", bobsList, null).statusCode()).isEqualTo(200);
        // bob's key is on his home peer only
        assertThat(ring.webAdmin(1, "PUT", bobsList, null).statusCode()).isEqualTo(404);

        assertThat(ring.webAdmin(3, "PUT", following + "/" + BOB + "/blocked", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(1, "PUT", following + "/" + BOB + "/blocked", null).statusCode()).isEqualTo(404);
        assertThat(ring.webAdmin(3, "PUT", following + "/" + BOB + "/no%20spaces", null).statusCode())
            .isEqualTo(400);
        await("bob's list held for carol on peer3", () ->
            ring.webAdminJson(3, following).get("following").get(0).get("version").asLong() >= 0);

        // bob blocks the pusher: his home peer publishes the next version, any peer reads it, carol's peer refreshes
        assertThat(ring.webAdmin(2, "PUT", BLOCKED + "/" + pusher, null).statusCode()).isEqualTo(204);
        await("the pusher on bob's published list", () ->
            ring.webAdminJson(1, bobsList).get("entries").toString().contains(pusher));
        await("the pusher on bob's list as carol's peer holds it", () ->
            ring.webAdminJson(3, following).get("following").toString().contains(pusher));

        String toCarol = send(1, pusher, carol, "followed-carol");
        String toAlice = send(1, pusher, ALICE, "followed-alice");
        await("the pusher's mail in carol's Junk", () -> containing(toCarol).test(junk(3, carol)));
        await("the pusher's mail in alice's INBOX: she follows nothing", () ->
            containing(toAlice).test(read(1, ALICE, "INBOX")));
        assertThat(read(3, carol, "INBOX")).noneMatch(m -> m.contains(toCarol));

        // bob unpublishes his list: carol's peer drops its entries
        assertThat(ring.webAdmin(2, "DELETE", bobsList, null).statusCode()).isEqualTo(200);
        await("bob's list withdrawn as carol's peer holds it", () ->
            ring.webAdminJson(3, following).get("following").get(0).get("problem").asText().contains("withdrawn"));
        assertThat(ring.webAdminJson(3, following).get("following").get(0).get("entries")).isEmpty();

        // bob's own list is empty again for the other tests
        assertThat(ring.webAdmin(2, "DELETE", BLOCKED + "/" + pusher, null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(3, "DELETE", following + "/" + BOB + "/blocked", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(3, following).get("following")).isEmpty();
    }

    @Test
    void carolFollowsATeamListAliceOwnsAndBobEditsUntilAliceRemovesBob() throws Exception {
        String carol = "carol@epost.test";
        String pusher = "team-pusher@lists.example";
        String roster = "/epost/spam/users/" + ALICE + "/teams/abuse";
        String team = "/epost/spam/teams/" + ALICE + "/abuse";
        String bobsPart = "/epost/spam/users/" + BOB + "/team-entries/" + ALICE + "/abuse/" + pusher;
        String following = "/epost/spam/users/" + carol + "/following-teams";
        assertThat(ring.webAdmin(1, "PUT", roster, "{\"editors\":[\"" + ALICE + "\"]}").statusCode())
            .isEqualTo(200);
        assertThat(ring.webAdmin(1, "PUT", roster + "/editors/" + BOB, null).body()).contains(BOB);
        assertThat(ring.webAdmin(2, "PUT", roster + "/editors/" + BOB, null).statusCode()).as("alice's key is on"
            + " peer1 only").isEqualTo(404);
        assertThat(ring.webAdmin(1, "PUT", roster + "/editors/not-an-address", null).statusCode()).isEqualTo(400);
        assertThat(ring.webAdmin(2, "PUT", bobsPart, null).statusCode()).isEqualTo(200);
        assertThat(ring.webAdmin(3, "PUT", following + "/" + ALICE + "/abuse", null).statusCode()).isEqualTo(204);

        await("bob's entry in the team list carol's peer holds", () ->
            ring.webAdminJson(3, team).get("entries").toString().contains(pusher));
        assertThat(ring.webAdminJson(3, following).get("following").get(0).get("rosterVersion").asLong())
            .isEqualTo(1);
        String toCarol = send(1, pusher, carol, "team-carol");
        await("the pusher's mail in carol's Junk", () -> containing(toCarol).test(junk(3, carol)));
        assertThat(read(3, carol, "INBOX")).noneMatch(m -> m.contains(toCarol));

        // alice removes bob: his part stops counting at carol's peer's next refresh
        assertThat(ring.webAdmin(1, "DELETE", roster + "/editors/" + BOB, null).statusCode()).isEqualTo(200);
        await("bob's entry gone from the team list carol's peer holds", () ->
            !ring.webAdminJson(3, team).get("entries").toString().contains(pusher));
        String again = send(1, pusher, carol, "team-carol-again");
        await("the pusher's next mail in carol's INBOX", () -> containing(again).test(read(3, carol, "INBOX")));

        assertThat(ring.webAdmin(3, "DELETE", following + "/" + ALICE + "/abuse", null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdminJson(3, following).get("following")).isEmpty();
    }

    @Test
    void aDomainSetToDiscardRefusesMailFromASenderOnTheOrganizationListAndTheSenderIsTold() throws Exception {
        String flooder = "flooder@lists.example";
        String organization = "/epost/spam/organization/blocked/" + flooder;
        String discard = "/epost/spam/organization/discard";
        assertThat(ring.webAdmin(1, "PUT", organization, null).statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(1, "PUT", discard + "/epost.test", null).statusCode()).isEqualTo(204);
        try {
            await("epost.test discarding as peer2 sees it", () ->
                ring.webAdminJson(2, discard).get("domains").toString().contains("epost.test"));
            assertThat(ring.webAdmin(1, "PUT", discard + "/not@a-domain", null).statusCode()).isEqualTo(400);

            String marker = "discarded-" + UUID.randomUUID().toString().replace("-", "");
            Command.Result refused = Clients.swaksRun(ring.port(1, "smtp"), WAIT, "--from", flooder, "--to", BOB,
                "--header", "Subject: " + marker, "--body", "body of " + marker, "--timeout", "180");
            assertThat(refused.stdout()).contains("550 5.7.1").doesNotContain("250 2.6.0 Message received");

            JsonNode status = ring.webAdminJson(2, "/epost/status");
            assertThat(status.get("spam").get("discarded").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(ring.webAdmin(2, "GET", "/metrics", null).body())
                .containsPattern("(?m)^epost_spam_discarded [1-9]");
            assertThat(read("INBOX")).noneMatch(m -> m.contains(marker));
            assertThat(junk(2, BOB)).noneMatch(m -> m.contains(marker));
        } finally {
            ring.webAdmin(1, "DELETE", discard + "/epost.test", null);
            ring.webAdmin(1, "DELETE", organization, null);
        }
        assertThat(ring.webAdminJson(2, discard).get("domains")).isEmpty();
    }
}
