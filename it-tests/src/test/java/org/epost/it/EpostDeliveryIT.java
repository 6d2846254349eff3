package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Mail between James peers through ePOST, end to end: one real 3-peer ring (epost-ring, base port 24000) for all tests,
 * swaks submitting over SMTP, Python's imaplib reading over IMAP with STARTTLS. alice lives on peer1, bob on peer2,
 * carol on peer3. The waits below only bound a hung ring; nothing asserts on speed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpostDeliveryIT {
    private static final int PEERS = 3;
    private static final Duration MAIL_WAIT = Duration.ofMinutes(5);
    private static final Duration BIG_COMMAND = Duration.ofMinutes(5);
    /** The pause between two looks of a wait: mail moves through the ring in well under a second when all is well. */
    private static final long POLL_MILLIS = 500;
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static Ring ring;
    /** Body markers of mail that went through the SMTP hook only: none may be found in plaintext on any peer's disk. */
    private static final List<String> HOOK_MARKERS = new ArrayList<>();
    /** Where bob (peer2) and carol (peer3), the only recipients of hook mail, have their peer's search index. */
    private static final Set<Integer> RECIPIENT_HOME_PEERS = Set.of(2, 3);
    /** The Lucene index of a peer's local users, in its data.dir (epost-ring keeps the default, var/epost). */
    private static final Path SEARCH_INDEX = Path.of("var", "epost", "search-index");
    /** Where a peer keeps the notifications it holds as a delegate, one {@code .kept} file each, until their receipt. */
    private static final Path DELEGATED = Path.of("var", "epost", "notify", "delegated");

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("delivery-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 24000);
        ring.up(PEERS);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    private static String marker(String what) {
        String marker = what + "-" + UUID.randomUUID().toString().replace("-", "");
        HOOK_MARKERS.add(marker);
        return marker;
    }

    private static Command.Result send(int peer, String from, List<String> envelopeTo, String subject, String body,
                                       String... headers) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("--from", from, "--to", String.join(",", envelopeTo),
            "--header", "Subject: " + subject, "--body", body, "--timeout", "180"));
        for (String header : headers) {
            arguments.addAll(List.of("--header", header));
        }
        return Clients.swaksRun(ring.port(peer, "smtp"), BIG_COMMAND, arguments.toArray(String[]::new))
            .assertSuccess("swaks");
    }

    /** Polls the INBOX of {@code user} on its home peer until a message satisfies {@code wanted}; all its messages then. */
    private static List<String> awaitInbox(int peer, String user, String password, Predicate<List<String>> wanted)
            throws Exception {
        Instant deadline = Instant.now().plus(MAIL_WAIT);
        List<String> messages = List.of();
        while (Instant.now().isBefore(deadline)) {
            Clients.Mailbox mailbox = Clients.imapRead(ring.port(peer, "imap"), user, password);
            messages = mailbox.messages();
            if (mailbox.loggedIn() && wanted.test(messages)) {
                return messages;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("No wanted message for " + user + " on peer" + peer + " within " + MAIL_WAIT
            + "; INBOX holds " + messages.size() + " messages");
    }

    /** Waits until no peer of the ring keeps a delegated notification (each delegation ended by a receipt). */
    private static void awaitNoDelegationKept() throws Exception {
        Instant deadline = Instant.now().plus(MAIL_WAIT);
        List<Path> kept = keptDelegations();
        while (!kept.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Delegations still kept after " + MAIL_WAIT + ": " + kept);
            }
            Thread.sleep(POLL_MILLIS);
            kept = keptDelegations();
        }
    }

    private static List<Path> keptDelegations() throws IOException {
        List<Path> kept = new ArrayList<>();
        for (int peer = 1; peer <= PEERS; peer++) {
            Path directory = ring.peerDirectory(peer).resolve(DELEGATED);
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    files.filter(file -> file.getFileName().toString().endsWith(".kept")).forEach(kept::add);
                }
            }
        }
        return kept;
    }

    private static Predicate<List<String>> containing(String marker) {
        return messages -> messages.stream().anyMatch(m -> m.contains(marker));
    }

    private static List<String> withMarker(List<String> messages, String marker) {
        return messages.stream().filter(m -> m.contains(marker)).toList();
    }

    @Test
    @Order(1)
    void toCcAndBccRecipientsOnOtherPeersReadTheSameBytes() throws Exception {
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8) + "@epost.test";
        assertThat(ring.webAdmin(3, "PUT", "/users/" + dave, "{\"password\":\"dave-secret\"}").statusCode()).isEqualTo(204);
        String password = ring.demoPassword();
        String marker = marker("to-cc-bcc");

        Command.Result sent = send(1, ALICE, List.of(BOB, CAROL, dave), "Plans for " + marker,
            "Body line with " + marker + "\nand a second line.", "To: Bob <" + BOB + ">", "Cc: " + CAROL);
        assertThat(sent.stdout()).contains("250 2.6.0 Message received");

        String bobs = withMarker(awaitInbox(2, BOB, password, containing(marker)), marker).get(0);
        String carols = withMarker(awaitInbox(3, CAROL, password, containing(marker)), marker).get(0);
        String daves = withMarker(awaitInbox(3, dave, "dave-secret", containing(marker)), marker).get(0);
        assertThat(carols).isEqualTo(bobs);
        assertThat(daves).isEqualTo(bobs);
        assertThat(bobs).contains("Subject: Plans for " + marker, "From: " + ALICE, "To: Bob <" + BOB + ">",
            "Cc: " + CAROL, "Body line with " + marker + "\r\nand a second line.").doesNotContain(dave);
        // exactly what swaks sent, after the header fields the peers put first: the recipient's peer its origin
        // tag, the accepting peer its Authentication-Results (SPF, DKIM), and James its Received
        List<String> data = sent.stdout().lines().dropWhile(line -> !line.startsWith("<-  354"))
            .skip(1).takeWhile(line -> !line.equals(" -> .")).map(line -> line.substring(4)).toList();
        assertThat(data).isNotEmpty();
        assertThat(bobs).startsWith("X-ePOST-Origin: external\r\nAuthentication-Results: ")
            .containsPattern("\r\nReceived: [^\r]*\r\n([ \t][^\r]*\r\n)*" + java.util.regex.Pattern.quote(data.get(0)))
            .endsWith(String.join("\r\n", data) + "\r\n");

        // what an operator's Prometheus scrapes from James's registry: the sender's notifications and PAST inserts,
        // the recipients' peers' deliveries and log appends
        assertThat(metric(1, "epost_notify_sent")).isGreaterThanOrEqualTo(3);
        assertThat(metric(1, "epost_past_insert_count")).isPositive();
        assertThat(metric(1, "epost_route_hops_count")).isPositive();
        assertThat(metric(3, "epost_notify_delivered")).isGreaterThanOrEqualTo(2);
        assertThat(metric(3, "epost_log_append_records")).isGreaterThanOrEqualTo(2);
    }

    /** One sample of James's Prometheus route ({@code GET /metrics}) of a peer; 0 if the metric is absent. */
    private static double metric(int peer, String name) throws Exception {
        HttpResponse<String> response = ring.webAdmin(peer, "GET", "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(line -> line.startsWith(name + " "))
            .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).trim())).sum();
    }

    @Test
    @Order(2)
    void aTwentyFiveMegabyteAttachmentArrivesIntact() throws Exception {
        byte[] attachment = new byte[25 * 1024 * 1024];
        new Random(25).nextBytes(attachment);
        Path file = Files.createDirectories(Ring.itDataDirectory()).resolve("attachment-25m.bin");
        Files.write(file, attachment);
        String marker = marker("big");
        // one line of the attachment's base64 (57 bytes per 76-character line): the attachment must not be in
        // plaintext on any peer either
        HOOK_MARKERS.add(java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(attachment, 570, 627)));

        Command.Result big = Clients.swaksRun(ring.port(1, "smtp"), BIG_COMMAND, "--from", ALICE, "--to", BOB,
            "--header", "Subject: attachment " + marker, "--body", "Attached: " + marker, "--attach", "@" + file,
            "--suppress-data", "--timeout", "240").assertSuccess("swaks --attach");
        assertThat(big.stdout()).contains("250 2.6.0 Message received");

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(attachment));
        Instant deadline = Instant.now().plus(MAIL_WAIT);
        List<Clients.Digest> digests = List.of();
        while (Instant.now().isBefore(deadline)) {
            digests = Clients.imapDigests(ring.port(2, "imap"), BOB, ring.demoPassword(), BIG_COMMAND);
            if (digests.stream().anyMatch(d -> !d.attachments().isEmpty())) {
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        List<Clients.Attachment> attachments = digests.stream().flatMap(d -> d.attachments().stream()).toList();
        assertThat(attachments).singleElement().satisfies(a -> {
            assertThat(a.size()).isEqualTo(attachment.length);
            assertThat(a.sha256()).isEqualTo(expected);
        });
        // a client fetching parts on demand: BODYSTRUCTURE (from the skeleton), then the attachment section alone
        Clients.Digest withAttachment = digests.stream().filter(d -> !d.attachments().isEmpty()).findFirst().orElseThrow();
        assertThat(withAttachment.bodyStructure()).containsIgnoringCase("\"APPLICATION\" \"OCTET-STREAM\"");
        assertThat(withAttachment.section2()).hasValueSatisfying(a -> {
            assertThat(a.size()).isEqualTo(attachment.length);
            assertThat(a.sha256()).isEqualTo(expected);
        });
    }

    @Test
    @Order(3)
    void aRecipientPeerDownAtSendTimeGetsTheMailExactlyOnceAfterItsRestart() throws Exception {
        String marker = marker("while-down");
        ring.stopPeer(3);

        Command.Result sent = send(1, ALICE, List.of(CAROL), "While you were out " + marker, "Held for you: " + marker);
        assertThat(sent.stdout()).contains("250 2.6.0 Message received");
        ring.up(PEERS);

        awaitInbox(3, CAROL, ring.demoPassword(), containing(marker));
        // later deliveries by the other delegates or their retries must not add a copy: wait until every delegate has
        // handed its copy over and dropped it on carol's receipt (her peer's presence repeats reach the late ones), so
        // that none is left to deliver again, then count
        awaitNoDelegationKept();
        List<String> inbox = Clients.imapRead(ring.port(3, "imap"), CAROL, ring.demoPassword()).messages();
        assertThat(withMarker(inbox, marker)).hasSize(1);
    }

    @Test
    @Order(4)
    void killingTheSendingPeerRightAfter250LosesNothingEvenForARecipientWhosePeerIsDown() throws Exception {
        String forBob = marker("kill-bob");
        String forCarol = marker("kill-carol");
        ring.stopPeer(3);

        Command.Result toBob = send(1, ALICE, List.of(BOB), "Before the crash " + forBob, forBob);
        Command.Result toCarol = send(1, ALICE, List.of(CAROL), "Before the crash " + forCarol, forCarol);
        ring.killPeer(1);
        assertThat(toBob.stdout()).contains("250 2.6.0 Message received");
        assertThat(toCarol.stdout()).contains("250 2.6.0 Message received");

        awaitInbox(2, BOB, ring.demoPassword(), containing(forBob));
        ring.up(PEERS);
        awaitInbox(3, CAROL, ring.demoPassword(), containing(forCarol));
    }

    @Test
    @Order(5)
    void anAddressOfAnEpostDomainWithoutAccountIsRefusedAtRcpt() throws Exception {
        Command.Result refused = Clients.swaksRun(ring.port(2, "smtp"), Duration.ofMinutes(2), "--from", ALICE,
            "--to", "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@epost.test", "--body", "x");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stdout()).contains("550 5.1.1");
    }

    @Test
    @Order(6)
    void mailToAnAliasOfAnEpostUserIsDeliveredFromTheSpoolByTheMailet() throws Exception {
        String alias = "bobby-" + UUID.randomUUID().toString().substring(0, 8) + "@epost.test";
        assertThat(ring.webAdmin(1, "PUT", "/address/aliases/" + BOB + "/sources/" + alias, null).statusCode())
            .isEqualTo(204);
        String marker = "alias-" + UUID.randomUUID();

        Command.Result sent = send(1, CAROL, List.of(alias), "Through an alias " + marker, marker);

        assertThat(sent.stdout()).contains("250 2.6.0 Message received");
        assertThat(withMarker(awaitInbox(2, BOB, ring.demoPassword(), containing(marker)), marker)).hasSize(1);
    }

    @Test
    @Order(7)
    void noPeerKeepsThePlaintextOfMailDeliveredThroughEpost() throws Exception {
        assertThat(HOOK_MARKERS).hasSizeGreaterThanOrEqualTo(5);
        List<byte[]> needles = HOOK_MARKERS.stream().map(m -> m.getBytes(StandardCharsets.US_ASCII)).toList();
        List<String> found = new ArrayList<>();
        long files = 0;
        for (int peer = 1; peer <= PEERS; peer++) {
            // the search index on a recipient's home peer is that recipient's own cache of their mail (issue #6),
            // like their IMAP session; anywhere else, including the sender's peer, no plaintext may be found
            Path searchIndex = ring.peerDirectory(peer).resolve(SEARCH_INDEX);
            boolean recipientsHome = RECIPIENT_HOME_PEERS.contains(peer);
            if (recipientsHome) {
                assertThat(searchIndex).as("the exempted index of peer" + peer + " exists").isDirectory();
            }
            try (Stream<Path> walk = Files.walk(ring.peerDirectory(peer))) {
                for (Path path : walk.filter(Files::isRegularFile)
                        .filter(path -> !(recipientsHome && path.startsWith(searchIndex))).toList()) {
                    files++;
                    byte[] content;
                    try {
                        content = Files.readAllBytes(path);
                    } catch (IOException e) {
                        continue; // a file removed while walking (logs rolled, RocksDB compaction)
                    }
                    for (int i = 0; i < needles.size(); i++) {
                        if (indexOf(content, needles.get(i)) >= 0) {
                            found.add(HOOK_MARKERS.get(i) + " in " + path);
                        }
                    }
                }
            }
        }
        assertThat(files).as("the walk did look at the peers' files").isGreaterThan(100);
        assertThat(found).isEmpty();
    }

    @Test
    @Order(8)
    void mailFoldersFlagsAndUidsSurviveARestartOfTheRecipientsPeer() throws Exception {
        String marker = marker("kept");
        send(1, ALICE, List.of(BOB), "Keep this " + marker, "Keep: " + marker);
        awaitInbox(2, BOB, ring.demoPassword(), containing(marker));
        Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "mark", marker, "Kept");
        JsonNode before = Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "show", "INBOX", "Kept");
        assertThat(before.get("Kept").get("messages")).hasSize(1);
        assertThat(before.toString()).contains("\\Flagged", "$EpostKeep");

        ring.stopPeer(2);
        ring.up(PEERS);

        JsonNode after = Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "show", "INBOX", "Kept");
        // every message, flag, keyword, UID, UIDVALIDITY and UIDNEXT as before: the mailbox lives in POST's logs
        assertThat(after).isEqualTo(before);
    }

    @Test
    @Order(9)
    void imapSearchFindsBodyWordsThroughTheRecipientsPeerIndexEvenAfterAKill() throws Exception {
        String word = "quokka" + UUID.randomUUID().toString().replace("-", "");
        send(1, ALICE, List.of(BOB), "Searchable", "A body with the word " + word + " in it.");
        awaitInbox(2, BOB, ring.demoPassword(), containing(word));

        JsonNode found = Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "search", "INBOX", word);
        JsonNode absent = Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "search", "INBOX",
            "wombat" + UUID.randomUUID().toString().replace("-", ""));
        assertThat(found.get("uids")).hasSize(1);
        assertThat(absent.get("uids")).isEmpty();
        assertThat(ring.peerDirectory(2).resolve(SEARCH_INDEX).toFile().list())
            .as("Lucene's files in peer2's search index").anyMatch(name -> name.startsWith("segments"));

        // no shutdown at all: what the index committed is all that is left of it
        ring.killPeer(2);
        ring.up(PEERS);

        JsonNode afterKill = Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "search", "INBOX",
            word);
        assertThat(afterKill).isEqualTo(found);
    }

    @Test
    @Order(10)
    void pop3AndJmapOfTheStockServerReadTheSameEpostMailbox() throws Exception {
        String marker = marker("other-clients");
        send(1, ALICE, List.of(CAROL), "Other clients " + marker, "Read me anyhow: " + marker);
        String overImap = withMarker(awaitInbox(3, CAROL, ring.demoPassword(), containing(marker)), marker).get(0);

        JsonNode read = Clients.pop3AndJmapRead(ring.port(3, "pop3"), ring.port(3, "jmap"), CAROL, ring.demoPassword());

        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(overImap.getBytes(StandardCharsets.UTF_8)));
        assertThat(read.get("pop3").toString()).contains(digest);
        assertThat(read.get("jmap").toString()).contains("Other clients " + marker);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
