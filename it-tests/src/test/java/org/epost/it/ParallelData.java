package org.epost.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several large DATA commands sent at once to one peer of a ring ({@link SmtpWire#data}, seeded attachments), with
 * the peer's resident memory sampled while they run: what the SMTP memory tests measure.
 *
 * @param replies    the final reply of each DATA, in order
 * @param peakRssKib the largest VmRSS sampled while they ran
 * @param highWaterKib the peer's VmHWM afterwards (its peak RSS so far)
 * @param elapsed    from the first connection to the last reply
 */
record ParallelData(List<String> replies, long peakRssKib, long highWaterKib, Duration elapsed) {

    /** {@code count} DATA commands of {@code bytes} to {@code recipient}, the i-th with seed {@code seed + i}. */
    static ParallelData send(Ring ring, int peer, String recipient, int count, long bytes, long seed, String subject)
            throws IOException, InterruptedException, ExecutionException {
        long pid = ring.peer(peer).get("pid").asLong();
        long peakRss = 0;
        ExecutorService clients = Executors.newFixedThreadPool(count);
        Instant start = Instant.now();
        List<Future<String>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(clients.submit(() -> {
                    try (SmtpWire smtp = new SmtpWire(ring.port(peer, "smtp"))) {
                        smtp.command("EHLO client" + n + ".test");
                        smtp.command("MAIL FROM:<alice@epost.test> SIZE=" + bytes);
                        smtp.command("RCPT TO:<" + recipient + ">");
                        smtp.command("DATA");
                        return smtp.data(subject + " " + n, bytes, seed + n);
                    }
                }));
            }
            while (futures.stream().anyMatch(f -> !f.isDone())) {
                peakRss = Math.max(peakRss, residentKib(pid, "VmRSS"));
                Thread.sleep(200);
            }
        } finally {
            clients.shutdown();
        }
        List<String> replies = new ArrayList<>();
        for (Future<String> future : futures) {
            replies.add(future.get());
        }
        return new ParallelData(replies, peakRss, residentKib(pid, "VmHWM"), Duration.between(start, Instant.now()));
    }

    long accepted() {
        return replies.stream().filter(reply -> reply.startsWith("250 ")).count();
    }

    /** A field of /proc/PID/status in KiB (VmRSS now, VmHWM the peak so far). */
    static long residentKib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }
}
