package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large mail end to end on a real 3-peer ring whose SMTP peer and recipient's peer both run with a small heap
 * ({@code -Xmx256m}): four DATA commands of 40 MiB each, sent at once to an ePOST recipient, are each answered 250 or
 * 451 (an insert not answered in time; sent once more, as an MTA would); the SMTP peer streams them into the store,
 * the recipient's peer appends them by reference and indexes them without reading them whole; both stay alive without
 * an OutOfMemoryError, and every accepted message is read back over IMAP from the recipient's peer with its
 * attachment byte for byte. How many of the four were accepted and both peers' peak RSS are printed (figures, not
 * asserted: on a loaded machine PAST's inserts time out); one more 40 MiB message sent alone (up to 3 times) must be
 * accepted, appended and read back.
 */
class EpostSmtpStreamingIT {
    private static final int PARALLEL = 4;
    private static final long LARGE = 40L * 1024 * 1024;
    private static final String HEAP_OPTIONS = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final String BOB = "bob@epost.test";
    private static final int BOBS_PEER = 2;
    private static final int ALONE_ATTEMPTS = 3;
    private static final long ALONE_SEED = 300;
    private static Ring ring;

    /** Peer 1, the one the SMTP clients talk to, and bob's peer restarted with the small heap; the third keeps 768 MiB. */
    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("smtp-streaming-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 27000);
        ring.up(3);
        ring = ring.restartedWith(HEAP_OPTIONS, 1, BOBS_PEER);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void parallelLargeDataCommandsBetweenSmallHeapPeersAreStoredAppendedAndReadBackByteForByte() throws Exception {
        long pid = ring.peer(1).get("pid").asLong();
        ParallelData sent = ParallelData.send(ring, 1, BOB, PARALLEL, LARGE, 200, "streamed");
        System.out.printf("[smtp-streaming] %d parallel DATA of %d MiB to a -Xmx256m peer: %d s, peak RSS %d MiB"
            + " (sampled), high-water RSS %d MiB; replies: %s%n", PARALLEL, LARGE >> 20, sent.elapsed().toSeconds(),
            sent.peakRssKib() >> 10, sent.highWaterKib() >> 10, sent.replies());
        String log = Files.readString(ring.peerDirectory(1).resolve("logs/console.log"));
        assertThat(log).doesNotContain("OutOfMemoryError");
        assertThat(sent.replies()).allSatisfy(answer -> assertThat(answer).matches("(?s)(250 |451 4\\.3\\.0 ).*"));
        // A 451 (an insert not answered in time: PAST gives a request 3 x 5 s) is retried once, as an MTA would.
        Set<String> expected = new java.util.HashSet<>();
        for (int n = 0; n < PARALLEL; n++) {
            String reply = sent.replies().get(n);
            if (!reply.startsWith("250 ")) {
                reply = ParallelData.send(ring, 1, BOB, 1, LARGE, 200 + n, "streamed again").replies().get(0);
                System.out.printf("[smtp-streaming] DATA %d answered 451, sent again: %s%n", n, reply);
                assertThat(reply).matches("(?s)(250 |451 4\\.3\\.0 ).*");
            }
            if (reply.startsWith("250 ")) {
                expected.add(attachmentSha256(LARGE, 200 + n));
            }
        }
        System.out.printf("[smtp-streaming] %d of %d stored%n", expected.size(), PARALLEL);
        // One more sent alone, up to 3 times as an MTA would: at least one 40 MiB message must reach bob's small peer.
        String alone = "";
        for (int attempt = 1; attempt <= ALONE_ATTEMPTS && !alone.startsWith("250 "); attempt++) {
            ParallelData one = ParallelData.send(ring, 1, BOB, 1, LARGE, ALONE_SEED, "alone");
            alone = one.replies().get(0);
            System.out.printf("[smtp-streaming] 1 DATA of %d MiB alone, attempt %d: %d s, %s%n", LARGE >> 20, attempt,
                one.elapsed().toSeconds(), alone);
        }
        assertThat(alone).as("a 40 MiB message sent alone").startsWith("250 ");
        expected.add(attachmentSha256(LARGE, ALONE_SEED));
        // Memory is what the SMTP peer is tested for: alive, answering, never out of memory.
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(Files.readString(ring.peerDirectory(1).resolve("logs/console.log")))
            .doesNotContain("OutOfMemoryError");
        try (SmtpWire smtp = new SmtpWire(ring.port(1, "smtp"))) {
            assertThat(smtp.command("EHLO after.test")).startsWith("250");
        }
        // What was accepted is in bob's INBOX with its attachment byte for byte.
        Set<String> read = Set.of();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (!expected.isEmpty() && Instant.now().isBefore(deadline)) {
            read = Clients.imapDigests(ring.port(BOBS_PEER, "imap"), BOB, ring.demoPassword(), Duration.ofMinutes(10))
                .stream().filter(d -> d.section2().isPresent()).map(d -> d.section2().get().sha256())
                .collect(Collectors.toSet());
            if (read.containsAll(expected)) {
                break;
            }
            Thread.sleep(5_000);
        }
        assertThat(read).containsAll(expected);
        long bobsPid = ring.peer(BOBS_PEER).get("pid").asLong();
        System.out.printf("[smtp-streaming] bob's -Xmx256m peer: high-water RSS %d MiB%n",
            ParallelData.residentKib(bobsPid, "VmHWM") >> 10);
        assertThat(ProcessHandle.of(bobsPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(Files.readString(ring.peerDirectory(BOBS_PEER).resolve("logs/console.log")))
            .doesNotContain("OutOfMemoryError");
    }

    /** The SHA-256 of the attachment {@link SmtpWire#data} sends for {@code bytes} and {@code seed}, decoded. */
    private static String attachmentSha256(long bytes, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] raw = new byte[57];
        long written = 0;
        while (written < bytes) {
            random.nextBytes(raw);
            sha.update(raw);
            written += 78; // 76 base64 characters and CRLF per line
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
