package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The header limit at SMTP (issue #15), on a real 3-peer ring (epost-ring, base port 33000; alice on peer1, bob on
 * peer2): a message of 2 MiB whose header section is 300 KiB, over the 256 KiB a recipient's peer accepts, is refused
 * at the end of DATA with {@code 552 5.3.4} on peer1's SMTP port (the Internet's MX path: James's
 * {@code Authentication-Results} hook runs too), from an ePOST user and from a sender on the Internet; it is never
 * delivered and nobody gets a bounce (before, the peer answered 250 and bob's peer bounced it later). The same
 * message with a 200 KiB header is accepted and reaches bob's INBOX byte for byte over IMAP. On IMAP, the largest
 * APPEND ({@code literalSizeLimit}, as SMTP's {@code maxmessagesize}: 50 MiB) is advertised as {@code APPENDLIMIT}
 * and a larger literal is answered {@code NO [TOOBIG]} before it is sent, the connection going on. One limit for both
 * protocols: a message of the limit - 1 is taken by SMTP ({@code SIZE=}) and IMAP (the literal is asked for), one of
 * the limit + 1 refused by both. The scratch disk of large IMAP literals is one budget for the peer (the default 1G):
 * twenty connections announcing literals of 50 MiB hold it, a twenty-first is answered {@code NO [LIMIT]} and goes
 * on, and the room comes back as connections close, as {@code /epost/status} shows. The waits only bound a hung ring.
 */
class EpostMessageLimitsIT {
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final int BOBS_PEER = 2;
    private static final Duration HUNG = Duration.ofMinutes(5);
    private static final long LIMIT = 50L << 20;
    private static final long SCRATCH = 1L << 30;
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("header-limit-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 33000);
        ring.up(3);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    /** A message of about 2 MiB (so bob's peer reads only its header) whose header section is {@code headerKib} KiB. */
    private static String message(String from, String marker, int headerKib) {
        StringBuilder text = new StringBuilder("From: " + from + "\r\nTo: " + BOB + "\r\nSubject: " + marker + "\r\n");
        for (int i = 0; text.length() < headerKib * 1024 - 100; i++) {
            text.append("X-Filler-").append(i % 10).append(": ").append("h".repeat(68)).append("\r\n");
        }
        text.append("\r\n").append(marker).append("\r\n");
        while (text.length() < 2 << 20) {
            text.append("b".repeat(76)).append("\r\n");
        }
        return text.append(marker).append(" end\r\n").toString();
    }

    private static String send(String from, String text) throws Exception {
        try (SmtpWire smtp = new SmtpWire(ring.port(1, "smtp"))) {
            assertThat(smtp.command("EHLO client.example.org")).startsWith("250");
            assertThat(smtp.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BOB + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.send(text);
            String reply = smtp.endData();
            smtp.command("QUIT");
            return reply;
        }
    }

    /**
     * The user's INBOX over IMAP, tried again while the read fails (a first LOGIN on a peer of this loaded machine can
     * outlast the script's 30 s timeout).
     */
    private static List<String> readPatiently(int peer, String user) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(HUNG);
        while (true) {
            try {
                Clients.Mailbox mailbox = Clients.imapRead(ring.port(peer, "imap"), user, ring.demoPassword());
                if (mailbox.loggedIn()) {
                    return mailbox.messages();
                }
            } catch (AssertionError e) {
                if (java.time.Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError(user + " could not log in on peer" + peer + " within " + HUNG);
            }
            Thread.sleep(2_000);
        }
    }

    @Test
    void aHeaderOverTheLimitIsRefusedAtDataEndAndOneBelowItIsDelivered() throws Exception {
        String internal = "header-limit-" + UUID.randomUUID().toString().replace("-", "");
        String external = "header-limit-mx-" + UUID.randomUUID().toString().replace("-", "");
        String accepted = "header-ok-" + UUID.randomUUID().toString().replace("-", "");

        assertThat(send(ALICE, message(ALICE, internal, 300)))
            .startsWith("552 5.3.4").contains("header section is over 262144 bytes");
        assertThat(send("someone@example.org", message("someone@example.org", external, 300)))
            .startsWith("552 5.3.4");
        String delivered = message(ALICE, accepted, 200);
        assertThat(send(ALICE, delivered)).startsWith("250");

        Clients.awaitMessage(ring.port(BOBS_PEER, "imap"), BOB, ring.demoPassword(), accepted, HUNG);
        List<String> inbox = Clients.imapRead(ring.port(BOBS_PEER, "imap"), BOB, ring.demoPassword()).messages();
        assertThat(inbox).filteredOn(m -> m.contains(accepted)).singleElement()
            .satisfies(m -> assertThat(m).endsWith(delivered.substring(delivered.indexOf("From: "))));
        assertThat(inbox).noneMatch(m -> m.contains(internal) || m.contains(external));
        // refused before any 250: nothing to bounce, so alice gets no DSN (bob's later refusal used to send one)
        assertThat(readPatiently(1, ALICE)).noneMatch(m -> m.contains(internal));
        String log = Files.readString(ring.peerDirectory(1).resolve("logs/console.log"));
        assertThat(log).contains("refused: its header section is over 262144 bytes");
        assertThat(Files.readString(ring.peerDirectory(BOBS_PEER).resolve("logs/console.log")))
            .doesNotContain("its header section is over");
    }

    @Test
    void anAppendOverTheLimitIsAnsweredTooBigBeforeItsLiteralIsSentAndTheConnectionGoesOn() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ring.port(BOBS_PEER, "imap"))) {
            socket.setSoTimeout((int) HUNG.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK");
            out.write("a0 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("* CAPABILITY").contains(" APPENDLIMIT=52428800");
            assertThat(in.readLine()).startsWith("a0 OK");

            out.write("a1 APPEND INBOX {52428801}\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine())
                .isEqualTo("a1 NO [TOOBIG] Literal of 52428801 octets exceeds the limit of 52428800 octets");
            out.write("a2 NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("a2 OK");
        }
    }

    @Test
    void smtpAndImapTakeAMessageOneOctetUnderTheLimitAndRefuseOneOver() throws Exception {
        try (SmtpWire smtp = new SmtpWire(ring.port(1, "smtp"))) {
            assertThat(smtp.command("EHLO client.example.org")).contains("SIZE " + LIMIT);
            assertThat(smtp.command("MAIL FROM:<" + ALICE + "> SIZE=" + (LIMIT - 1))).startsWith("250");
            assertThat(smtp.command("RSET")).startsWith("250");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + "> SIZE=" + (LIMIT + 1))).startsWith("552");
            smtp.command("QUIT");
        }
        try (ImapLines imap = new ImapLines(ring.port(BOBS_PEER, "imap"))) {
            assertThat(imap.send("a1 APPEND INBOX {" + (LIMIT - 1) + "}")).isEqualTo("+ Ok");
        }
        try (ImapLines imap = new ImapLines(ring.port(BOBS_PEER, "imap"))) {
            assertThat(imap.send("a1 APPEND INBOX {" + (LIMIT + 1) + "}")).startsWith("a1 NO [TOOBIG]");
        }
    }

    @Test
    void largeLiteralsOnManyConnectionsShareOneScratchBudgetAndTheRoomComesBackWhenTheyClose() throws Exception {
        int holders = (int) (SCRATCH / LIMIT);
        awaitScratchUsed(0);
        List<ImapLines> held = new ArrayList<>();
        try {
            for (int i = 0; i < holders; i++) {
                ImapLines imap = new ImapLines(ring.port(BOBS_PEER, "imap"));
                held.add(imap);
                assertThat(imap.send("h" + i + " APPEND INBOX {" + LIMIT + "}")).isEqualTo("+ Ok");
            }
            JsonNode scratch = scratchStatus();
            assertThat(scratch.get("capacityBytes").asLong()).isEqualTo(SCRATCH);
            assertThat(scratch.get("usedBytes").asLong()).isEqualTo(holders * LIMIT);
            assertThat(scratch.get("files").asLong()).isEqualTo(holders);
            long refusedBefore = scratch.get("refusedLiterals").asLong();

            try (ImapLines late = new ImapLines(ring.port(BOBS_PEER, "imap"))) {
                assertThat(late.send("x1 APPEND INBOX {" + LIMIT + "}")).isEqualTo("x1 NO [LIMIT] Literal of " + LIMIT
                    + " octets: the server's scratch space for large literals is full now; try again later");
                assertThat(late.send("x2 NOOP")).startsWith("x2 OK");
                assertThat(scratchStatus().get("refusedLiterals").asLong()).isEqualTo(refusedBefore + 1);

                held.remove(0).close();
                awaitScratchUsed((holders - 1) * LIMIT);
                assertThat(late.send("x3 APPEND INBOX {" + LIMIT + "}")).isEqualTo("+ Ok");
            }
        } finally {
            for (ImapLines imap : held) {
                imap.close();
            }
        }
        awaitScratchUsed(0);
        assertThat(scratchStatus().get("files").asLong()).isZero();
    }

    private static JsonNode scratchStatus() throws Exception {
        return ring.webAdminJson(BOBS_PEER, "/epost/status").get("imapLiteralScratch");
    }

    /** Connections close asynchronously on the peer: waits for their room to be given back (bounded by a hung ring). */
    private static void awaitScratchUsed(long bytes) throws Exception {
        Instant deadline = Instant.now().plus(HUNG);
        while (scratchStatus().get("usedBytes").asLong() != bytes) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the IMAP literal scratch never came to " + bytes + " bytes: " + scratchStatus());
            }
            Thread.sleep(200);
        }
    }

    /** One IMAP connection, one line sent and one line read at a time (greeting read at once). */
    private static final class ImapLines implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        ImapLines(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) HUNG.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK");
        }

        String send(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
