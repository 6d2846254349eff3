package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client's IMAP APPEND of a 40 MiB message to a real peer running with a small heap ({@code -Xmx256m}), on a 3-peer
 * ring (epost-ring, base port 27200): answered OK (sent again up to 3 times after a NO, as a user would), read back
 * over IMAP byte for byte, the peer alive without an
 * OutOfMemoryError. The peer's temporary directory is inside the ring and watched while the APPEND runs: the IMAP
 * framing's literal file ({@code epost-imap-literal*.tmp}) and the backend's scratch file ({@code epost-store-*}) are
 * seen and never hold the message in plaintext, James's own plaintext literal file ({@code imap-literal*.tmp}) never
 * appears, and afterwards none is left. On demand ({@code -Dit.test=EpostImapAppendStreamingIT}), excluded from the
 * default build: a 3-peer ring and 40 MiB stored on it take minutes.
 */
class EpostImapAppendStreamingIT {
    private static final long LARGE = 40L * 1024 * 1024;
    private static final String BOB = "bob@epost.test";
    private static final int BOBS_PEER = 2;
    private static final String MARKER = "EPOST-APPEND-MARKER-7f3a91";
    private static final Duration APPEND_DEADLINE = Duration.ofMinutes(15);
    private static final int APPEND_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Ring ring;
    private static Path temporary;

    /** Bob's peer restarted with the small heap and its temporary files in the ring's directory. */
    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("imap-append-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 27200);
        ring.up(3);
        temporary = Files.createDirectories(data.resolve("bob-peer-tmp"));
        ring = ring.restartedWith("-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir="
            + temporary, BOBS_PEER);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void a40MibAppendToASmallHeapPeerIsStoredAndReadBackByteForByteLeavingNoTemporaryFile() throws Exception {
        long pid = ring.peer(BOBS_PEER).get("pid").asLong();
        TemporaryFiles watched = new TemporaryFiles(temporary);
        Thread watcher = new Thread(watched::watch, "temporary-files");
        watcher.start();
        Instant start = Instant.now();
        JsonNode sent = null;
        try {
            // a client whose APPEND is answered NO (a PAST insert not acknowledged in time on a loaded machine)
            // sends it again, up to 3 times
            for (int attempt = 1; attempt <= APPEND_ATTEMPTS && !answeredOk(sent); attempt++) {
                Command.Result appended = Command.run(Path.of("."), APPEND_DEADLINE, List.of("python3",
                    Clients.script("imap_append.py").toString(), "127.0.0.1",
                    String.valueOf(ring.port(BOBS_PEER, "imap")), BOB, ring.demoPassword(), "INBOX",
                    String.valueOf(LARGE), "7", MARKER));
                if (appended.stdout().isBlank()) {
                    appended.assertSuccess("imap_append.py"); // failed before answering: its stderr says why
                }
                sent = JSON.readTree(appended.stdout());
                System.out.printf("[imap-append] attempt %d: %s%n", attempt, sent.get("response").asText());
            }
        } finally {
            watched.stop();
            watcher.join();
        }
        long seconds = Duration.between(start, Instant.now()).toSeconds();
        System.out.printf("[imap-append] APPEND of %d MiB to a -Xmx256m peer: %d s, %s; high-water RSS %d MiB;"
            + " literal file seen: %s, scratch file seen: %s, in plaintext: %s%n", LARGE >> 20, seconds,
            sent.get("response").asText(), ParallelData.residentKib(pid, "VmHWM") >> 10, watched.literalSeen.get(),
            watched.scratchSeen.get(), watched.plaintext);
        assertThat(answeredOk(sent)).as("an APPEND answered OK").isTrue();
        assertThat(watched.literalSeen.get()).as("the 40 MiB literal spilled to a file").isTrue();
        assertThat(watched.scratchSeen.get()).as("the message stored through a scratch file").isTrue();
        assertThat(watched.plaintext).as("a temporary file held the message in plaintext").isEmpty();

        List<Clients.Digest> read = Clients.imapDigests(ring.port(BOBS_PEER, "imap"), BOB, ring.demoPassword(),
            APPEND_DEADLINE);
        JsonNode stored = sent;
        assertThat(read).anySatisfy(digest -> {
            assertThat(digest.size()).isEqualTo(stored.get("size").asLong());
            assertThat(digest.sha256()).isEqualTo(stored.get("sha256").asText());
        });
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(Files.readString(ring.peerDirectory(BOBS_PEER).resolve("logs/console.log")))
            .doesNotContain("OutOfMemoryError");
        // James deletes its literal file on another thread once the command is processed
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!TemporaryFiles.mailFiles(temporary).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(TemporaryFiles.mailFiles(temporary)).as("temporary files of the APPEND left").isEmpty();
    }

    private static boolean answeredOk(JsonNode sent) {
        return sent != null && sent.get("response").asText().startsWith("OK");
    }

    /** Watches a peer's temporary directory for James's literal files and ePOST's scratch files. */
    private static final class TemporaryFiles {
        private final Path directory;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean literalSeen = new AtomicBoolean();
        final AtomicBoolean scratchSeen = new AtomicBoolean();
        final Set<String> plaintext = ConcurrentHashMap.newKeySet();

        TemporaryFiles(Path directory) {
            this.directory = directory;
        }

        static List<Path> mailFiles(Path directory) throws IOException {
            try (Stream<Path> files = Files.list(directory)) {
                return files.filter(f -> isLiteral(f) || isScratch(f) || isJamesLiteral(f)).toList();
            }
        }

        /** The IMAP framing's encrypted spill of a literal over 10 MiB. */
        private static boolean isLiteral(Path file) {
            return file.getFileName().toString().startsWith("epost-imap-literal");
        }

        /** James's own decoder's plaintext literal file, which ePOST's framing replaces. */
        private static boolean isJamesLiteral(Path file) {
            return file.getFileName().toString().startsWith("imap-literal");
        }

        private static boolean isScratch(Path file) {
            return file.getFileName().toString().startsWith("epost-store-");
        }

        void watch() {
            while (running.get()) {
                try {
                    for (Path file : mailFiles(directory)) {
                        literalSeen.compareAndSet(false, isLiteral(file));
                        scratchSeen.compareAndSet(false, isScratch(file));
                        if (isJamesLiteral(file) || holdsMarker(file)) {
                            plaintext.add(file.getFileName().toString());
                        }
                    }
                    Thread.sleep(20);
                } catch (IOException e) {
                    // a file deleted while listed or read: look again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Whether the file's first 64 KiB (the header and text part of the message) hold the marker. */
        private static boolean holdsMarker(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1).contains(MARKER);
            }
        }

        void stop() {
            running.set(false);
        }
    }
}
