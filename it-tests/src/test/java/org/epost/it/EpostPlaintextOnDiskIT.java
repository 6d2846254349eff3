package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No plaintext mail on a peer's disk outside the recipient's own cache and index (issue #15, finding 10), on a real
 * 3-peer ring (epost-ring, base port 46500) whose peers keep their temporary files ({@code java.io.tmpdir}) inside the
 * ring's directory: a DATA of a few MiB, far above James's 100 KiB memory threshold, is spilled to a file that holds
 * no line of the message while the client is still sending, and after the 250 nothing on any peer's disk (data,
 * conf, logs, spool, temporary files) holds it, but the search index of the recipient's own peer. Mail for another
 * domain waits in James's spool (peer1's RemoteDelivery is sent to a port where nothing listens, so it retries) sealed:
 * the queue lists it, the ActiveMQ journal holds no line of it and not its recipient. A client that leaves in the middle of its DATA leaves
 * no spill file behind, nor does a message refused for its size (552).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpostPlaintextOnDiskIT {
    private static final String BOB = "bob@epost.test";
    /** bob lives on peer2: his peer's index is his own cache of his mail (issue #6). */
    private static final int BOBS_PEER = 2;
    private static final Path SEARCH_INDEX = Path.of("var", "epost", "search-index");
    /** Where peer1's RemoteDelivery sends outbound mail: nothing listens there (in this IT's port range). */
    private static final int NO_SERVER_PORT = 46999;
    private static final int SMALL_LIMIT_KIB = 1024;
    /** Only bounds a hung ring; nothing asserts on speed. */
    private static final Duration HUNG = Duration.ofMinutes(5);
    private static Ring ring;
    private static Path data;

    @BeforeAll
    static void startRing() throws Exception {
        data = Ring.itDataDirectory().resolve("plaintext-ring");
        EpostPeerIT.deleteRecursively(data);
        Files.createDirectories(data.resolve("tmp"));
        ring = new Ring(data, 46500, "-Xms64m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir="
            + data.resolve("tmp"));
        ring.up(3);
        ring.stopPeer(1);
        ring.editConf(1, "mailetcontainer.xml", conf -> conf
            .replaceFirst("<delayTime>[^<]*</delayTime>", "<delayTime>3600000</delayTime>")
            .replaceFirst("<outgoingQueue>outgoing</outgoingQueue>",
                "<outgoingQueue>outgoing</outgoingQueue><gateway>127.0.0.1:" + NO_SERVER_PORT + "</gateway>"));
        // peer2 refuses mail over 1 MiB (smtpserver.xml counts KiB), to see a refused DATA leave nothing behind
        ring.stopPeer(2);
        ring.editConf(2, "smtpserver.xml", conf -> conf.replace("<maxmessagesize>51200</maxmessagesize>",
            "<maxmessagesize>" + SMALL_LIMIT_KIB + "</maxmessagesize>"));
        // the same limit for IMAP APPEND: a peer whose SMTP and IMAP limits differ refuses to start
        ring.editConf(2, "imapserver.xml", conf -> conf.replace("<literalSizeLimit>50M</literalSizeLimit>",
            "<literalSizeLimit>" + SMALL_LIMIT_KIB + "K</literalSizeLimit>"));
        ring.up(3);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    @Order(1)
    void aLargeSmtpMessageIsNeverInPlaintextOnAnyPeersDiskDuringOrAfterItsDelivery() throws Exception {
        String marker = "spill-" + UUID.randomUUID().toString().replace("-", "");
        try (SmtpWire smtp = dataTo(BOB)) {
            String text = letter(marker, 4 << 20);
            smtp.send(text);

            // the message, 4 MiB, is being received: its spill file exists, encrypted
            List<Path> spills = awaitSpillFiles(text.length());
            assertThat(spills).hasSize(1);
            assertThat(plaintextOnDisk(marker, -1)).isEmpty();

            assertThat(smtp.endData()).startsWith("250");
            assertThat(spills.get(0)).as("the spill is deleted with its transaction").doesNotExist();
            smtp.command("QUIT");
        }
        awaitInInbox(marker);
        assertThat(plaintextOnDisk(marker, BOBS_PEER)).isEmpty();
    }

    @Test
    @Order(2)
    void mailWaitingInTheSpoolForAnotherDomainIsSealedThere() throws Exception {
        String marker = "spooled-" + UUID.randomUUID().toString().replace("-", "");
        try (SmtpWire smtp = dataTo("ext@outside.test")) {
            smtp.send("From: alice@epost.test\r\nTo: ext@outside.test\r\nSubject: " + marker + "\r\n\r\nFor outside: "
                + marker + "\r\n");
            assertThat(smtp.endData()).startsWith("250");
            smtp.command("QUIT");
        }
        // the first attempt failed (nothing listens at the gateway): the mail waits an hour in the outgoing queue,
        // which opens it to list it
        Instant deadline = Instant.now().plus(HUNG);
        while (ring.webAdminJson(1, "/mailQueues/outgoing/mails").isEmpty()) {
            assertThat(Instant.now()).as("the mail reached the outgoing queue in time").isBefore(deadline);
            Thread.sleep(500);
        }
        assertThat(ring.webAdminJson(1, "/mailQueues/outgoing/mails").toString()).contains("ext@outside.test");
        Path activeMq = ring.peerDirectory(1).resolve("var/store/activemq");
        try (Stream<Path> journal = Files.walk(activeMq)) {
            assertThat(journal.filter(f -> f.getFileName().toString().endsWith(".log")).count())
                .as("journal files in " + activeMq).isPositive();
        }
        // the scan does see the journaled mail: its name, which James selects it by, is there in the clear
        String name = ring.webAdminJson(1, "/mailQueues/outgoing/mails").get(0).get("name").asText();
        assertThat(plaintextOnDisk(name, -1)).anyMatch(path -> path.startsWith(activeMq.toString()));
        // but neither its message nor its envelope (sender, recipients, attributes: sealed like the message)
        assertThat(plaintextOnDisk(marker, -1)).isEmpty();
        assertThat(plaintextOnDisk("ext@outside.test", -1)).noneMatch(path -> path.startsWith(activeMq.toString()));
    }

    @Test
    @Order(3)
    void aClientGoneInTheMiddleOfItsDataLeavesNoSpillFile() throws Exception {
        String marker = "abandoned-" + UUID.randomUUID().toString().replace("-", "");
        String text = letter(marker, 1 << 20);
        try (SmtpWire smtp = dataTo(BOB)) {
            smtp.send(text);
            assertThat(awaitSpillFiles(text.length())).hasSize(1);
        }
        // the connection is closed without the final dot: the peer deletes the spill when it sees it go
        Instant deadline = Instant.now().plus(HUNG);
        while (!spillFiles().isEmpty()) {
            assertThat(Instant.now()).as("the abandoned spill was deleted in time").isBefore(deadline);
            Thread.sleep(200);
        }
        assertThat(plaintextOnDisk(marker, -1)).isEmpty();
    }

    @Test
    @Order(4)
    void aMessageOverTheSizeLimitIsRefusedAndLeavesNoSpillFile() throws Exception {
        String marker = "oversized-" + UUID.randomUUID().toString().replace("-", "");
        try (SmtpWire smtp = dataTo(2, BOB)) {
            smtp.send(letter(marker, 2 * SMALL_LIMIT_KIB * 1024));
            assertThat(smtp.endData()).startsWith("552 ");
            // the session goes on, and its next message is accepted
            assertThat(smtp.command("MAIL FROM:<alice@epost.test>")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BOB + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.send("Subject: short\r\n\r\nshort\r\n");
            assertThat(smtp.endData()).startsWith("250");
            assertThat(spillFiles()).isEmpty();
            smtp.command("QUIT");
        }
        assertThat(plaintextOnDisk(marker, -1)).isEmpty();
    }

    /** A letter from alice to bob of about {@code bytes} octets, each line of it holding {@code marker}. */
    private static String letter(String marker, int bytes) {
        StringBuilder text = new StringBuilder("From: alice@epost.test\r\nTo: " + BOB + "\r\nSubject: " + marker
            + "\r\n\r\n");
        for (int i = 0; text.length() < bytes; i++) {
            text.append("Line ").append(i).append(" of a long letter: ").append(marker).append("\r\n");
        }
        return text.toString();
    }

    /** An SMTP session to peer1 from alice to {@code recipient}, after its 354. */
    private static SmtpWire dataTo(String recipient) throws IOException {
        return dataTo(1, recipient);
    }

    /** An SMTP session to {@code peer} from alice to {@code recipient}, after its 354. */
    private static SmtpWire dataTo(int peer, String recipient) throws IOException {
        SmtpWire smtp = new SmtpWire(ring.port(peer, "smtp"));
        smtp.command("EHLO client.test");
        assertThat(smtp.command("MAIL FROM:<alice@epost.test>")).startsWith("250");
        assertThat(smtp.command("RCPT TO:<" + recipient + ">")).startsWith("250");
        assertThat(smtp.command("DATA")).startsWith("354");
        return smtp;
    }

    /** Waits until bob's INBOX holds the message (the 250 means "kept", the append on his peer may follow). */
    private static void awaitInInbox(String marker) throws Exception {
        Instant deadline = Instant.now().plus(HUNG);
        while (Instant.now().isBefore(deadline)) {
            Clients.Mailbox mailbox = Clients.imapRead(ring.port(BOBS_PEER, "imap"), BOB, ring.demoPassword());
            if (mailbox.loggedIn() && mailbox.messages().stream().anyMatch(m -> m.contains(marker))) {
                return;
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("the message did not reach bob's INBOX within " + HUNG);
    }

    /** The peers' temporary spill files, once one holds all the bytes sent (the peer reads them asynchronously). */
    private static List<Path> awaitSpillFiles(long sent) throws Exception {
        Instant deadline = Instant.now().plus(HUNG);
        while (Instant.now().isBefore(deadline)) {
            List<Path> spills = spillFiles();
            if (!spills.isEmpty() && Files.size(spills.get(0)) >= sent - 64 * 1024) {
                return spills;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no encrypted spill file of the message in " + data.resolve("tmp") + " within " + HUNG);
    }

    private static List<Path> spillFiles() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("tmp"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("epost-smtp-")).toList();
        }
    }

    /** The files under the ring's directory that hold {@code marker}, but the search index of {@code exempt}. */
    private static List<String> plaintextOnDisk(String marker, int exempt) throws IOException {
        Path exempted = exempt < 0 ? null : ring.peerDirectory(exempt).resolve(SEARCH_INDEX);
        List<String> found = new ArrayList<>();
        long files = 0;
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path path : walk.filter(Files::isRegularFile)
                    .filter(path -> exempted == null || !path.startsWith(exempted)).toList()) {
                files++;
                String content;
                try {
                    content = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue; // removed while walking (a rolled log, a compaction)
                }
                if (content.contains(marker)) {
                    found.add(path.toString());
                }
            }
        }
        assertThat(files).as("the walk did look at the peers' files").isGreaterThan(100);
        return found;
    }
}
