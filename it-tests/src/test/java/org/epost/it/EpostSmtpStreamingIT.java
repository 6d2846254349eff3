package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMTP streaming into the store on a real 3-peer ring whose peers run with a small heap ({@code -Xmx256m}): four
 * DATA commands of 40 MiB each, sent at once to an ePOST recipient, are all accepted (250) and read back over IMAP
 * with their attachment byte for byte; the peer stays alive without an OutOfMemoryError. The peak RSS of the
 * receiving peer is printed (a figure, not asserted).
 */
class EpostSmtpStreamingIT {
    private static final int PARALLEL = 4;
    private static final long LARGE = 40L * 1024 * 1024;
    private static final String HEAP_OPTIONS = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final String BOB = "bob@epost.test";
    private static final int BOBS_PEER = 2;
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("smtp-streaming-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 27000, HEAP_OPTIONS);
        ring.up(3);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void parallelLargeDataCommandsToASmallHeapPeerAreAllStoredAndReadBackByteForByte() throws Exception {
        long pid = ring.peer(1).get("pid").asLong();
        AtomicLong peakRss = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);
        Instant start = Instant.now();
        List<Future<String>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                replies.add(clients.submit(() -> {
                    try (SmtpWire smtp = new SmtpWire(ring.port(1, "smtp"))) {
                        smtp.command("EHLO client" + n + ".test");
                        smtp.command("MAIL FROM:<alice@epost.test> SIZE=" + LARGE);
                        smtp.command("RCPT TO:<" + BOB + ">");
                        smtp.command("DATA");
                        return smtp.data("streamed " + n, LARGE, 200 + n);
                    }
                }));
            }
            while (replies.stream().anyMatch(f -> !f.isDone())) {
                peakRss.accumulateAndGet(residentKib(pid, "VmRSS"), Math::max);
                Thread.sleep(200);
            }
        } finally {
            clients.shutdown();
        }
        long highWater = residentKib(pid, "VmHWM");
        System.out.printf("[smtp-streaming] %d parallel DATA of %d MiB to a -Xmx256m peer: %d s, peak RSS %d MiB"
            + " (sampled), high-water RSS %d MiB%n", PARALLEL, LARGE >> 20,
            Duration.between(start, Instant.now()).toSeconds(), peakRss.get() >> 10, highWater >> 10);
        List<String> answers = new ArrayList<>();
        for (Future<String> reply : replies) {
            answers.add(reply.get());
        }
        System.out.printf("[smtp-streaming] replies: %s%n", answers);
        String log = Files.readString(ring.peerDirectory(1).resolve("logs/console.log"));
        assertThat(log).doesNotContain("OutOfMemoryError");
        assertThat(answers).allSatisfy(answer -> assertThat(answer).startsWith("250 "));
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        Set<String> expected = new java.util.HashSet<>();
        for (int n = 0; n < PARALLEL; n++) {
            expected.add(attachmentSha256(LARGE, 200 + n));
        }
        Set<String> read = Set.of();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            read = Clients.imapDigests(ring.port(BOBS_PEER, "imap"), BOB, ring.demoPassword(), Duration.ofMinutes(10))
                .stream().filter(d -> d.section2().isPresent()).map(d -> d.section2().get().sha256())
                .collect(Collectors.toSet());
            if (read.containsAll(expected)) {
                break;
            }
            Thread.sleep(5_000);
        }
        assertThat(read).containsAll(expected);
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

    /** A field of /proc/PID/status in KiB (VmRSS now, VmHWM the peak so far). */
    private static long residentKib(long pid, String field) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }
}
