package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sync tools that pipeline (issue #12): mbsync and offlineimap3 push a Maildir of several folders (nested, every
 * flag, 300 messages, one of 12 MiB beyond James's in-memory literal limit) into a real ePOST peer and pull it back
 * into a fresh Maildir; the copy holds the same messages, byte for byte up to line endings and mbsync's X-TUID
 * header, with the same flags; and a second run of each tool finds nothing to do (no file of either Maildir changes,
 * and the tool reports no copy or flag change). Stock James 3.8.1 answers mbsync's pipelined LITERAL+ APPENDs with
 * "BAD Unknown command" for message text; offlineimap3 hung at times at its first connection against a peer whose
 * TLS 1.3 handshake ended with a session ticket (see {@code NoPostHandshakeTickets}), which many short sessions through
 * its library show. Also the raw-socket pipelining cases of {@code imap_pipelining.py}.
 * One 1-peer ring; each tool uses its own user.
 */
class SyncToolsIT {
    private static final int MESSAGES = 300;
    private static Ring ring;
    private static Path work;
    private static Certificate certificate;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("sync-tools-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 38600);
        ring.up(1);
        work = Files.createDirectories(Ring.itDataDirectory().resolve("sync-tools"));
        EpostPeerIT.deleteRecursively(work);
        Files.createDirectories(work);
        certificate = SyncTools.peerCertificate(ring.peerDirectory(1));
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void mbsyncPushesAndPullsAMaildirAndASecondRunHasNothingToDo() throws Exception {
        Path dir = Files.createDirectories(work.resolve("mbsync"));
        Path source = dir.resolve("source");
        Path pulled = dir.resolve("pulled");
        SyncTools.maildirs("make", source.toString(), "--messages", String.valueOf(MESSAGES)).assertSuccess("make");
        Path config = SyncTools.mbsyncConfig(dir, ring.port(1, "imap"), "bob@epost.test", ring.demoPassword(),
            SyncTools.writePem(certificate, dir.resolve("peer.pem")), source, pulled);

        SyncTools.mbsync(config, "push");
        SyncTools.mbsync(config, "pull");
        assertSameMaildirs(source, pulled);

        String sourceBefore = snapshot(source);
        String pulledBefore = snapshot(pulled);
        Command.Result second = SyncTools.mbsync(config, "push", "pull");
        assertThat(snapshot(source)).as("source Maildir after a second run").isEqualTo(sourceBefore);
        assertThat(snapshot(pulled)).as("pulled Maildir after a second run").isEqualTo(pulledBefore);
        // mbsync --verbose names each box's message count on both sides; after a second run they agree everywhere.
        List<String> counts = second.stdout().lines().filter(line -> line.matches("(far|near) side: \\d+ messages.*")).toList();
        assertThat(counts).as(second.stdout()).isNotEmpty();
        assertThat(countsPerBox(counts)).as(second.stdout()).allSatisfy(pair -> assertThat(pair[0]).isEqualTo(pair[1]));
        assertThat(counts.stream().mapToInt(SyncToolsIT::count).sum()).isEqualTo(4 * MESSAGES);
    }

    @Test
    void offlineimapPushesAndPullsAMaildirAndASecondRunHasNothingToDo() throws Exception {
        Path dir = Files.createDirectories(work.resolve("offlineimap"));
        Path source = dir.resolve("source");
        Path pulled = dir.resolve("pulled");
        SyncTools.maildirs("make", source.toString(), "--messages", String.valueOf(MESSAGES)).assertSuccess("make");
        String fingerprint = SyncTools.sha512Fingerprint(certificate);
        Path push = SyncTools.offlineimapConfig(dir, "push", ring.port(1, "imap"), "carol@epost.test", ring.demoPassword(),
            fingerprint, source);
        Path pull = SyncTools.offlineimapConfig(dir, "pull", ring.port(1, "imap"), "carol@epost.test", ring.demoPassword(),
            fingerprint, pulled);

        Command.Result pushed = SyncTools.offlineimap(push);
        assertThat(copies(pushed)).as(pushed.all()).isEqualTo(MESSAGES);
        Command.Result fetched = SyncTools.offlineimap(pull);
        assertThat(copies(fetched)).as(fetched.all()).isEqualTo(MESSAGES);
        assertSameMaildirs(source, pulled);

        String sourceBefore = snapshot(source);
        String pulledBefore = snapshot(pulled);
        Command.Result secondPush = SyncTools.offlineimap(push);
        Command.Result secondPull = SyncTools.offlineimap(pull);
        assertThat(snapshot(source)).as("source Maildir after a second run").isEqualTo(sourceBefore);
        assertThat(snapshot(pulled)).as("pulled Maildir after a second run").isEqualTo(pulledBefore);
        for (Command.Result second : List.of(secondPush, secondPull)) {
            assertThat(second.all()).as(second.all())
                .doesNotContain("Copy message").doesNotContain("flag").doesNotContain("Deleting").doesNotContain("ERROR");
        }
    }

    @Test
    void offlineimapLibrarySessionsOverStartTlsAndImplicitTlsNeverHang() throws Exception {
        for (List<String> mode : List.of(List.of("--port", String.valueOf(ring.port(1, "imap"))),
                                         List.of("--port", String.valueOf(ring.port(1, "imaps")), "--implicit"))) {
            List<String> command = new ArrayList<>(List.of("python3", Clients.script("imaplib2_tls.py").toString(),
                "--user", "alice@epost.test", "--password", ring.demoPassword(), "--sessions", "60"));
            command.addAll(mode);
            Command.Result result = Command.run(Path.of("."), SyncTools.DEADLINE, command);
            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(result.stdout()).contains("sessions 60 hung 0 failed 0");
        }
    }

    @Test
    void pipelinedLiteralsOfEveryKindOverARealConnection() throws Exception {
        Command.Result result = Command.run(Path.of("."), SyncTools.DEADLINE, List.of("python3",
            Clients.script("imap_pipelining.py").toString(), "--port", String.valueOf(ring.port(1, "imaps")),
            "--user", "alice@epost.test", "--password", ring.demoPassword()));

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stdout()).contains("literal-plus   ok", "synchronizing  ok", "multi-literal  ok", "split          ok",
            "large          ok", "contents       ok", "login-literals ok", "parallel-fetch ok");
    }

    private static void assertSameMaildirs(Path source, Path pulled) throws Exception {
        Command.Result compared = SyncTools.maildirs("compare", source.toString(), pulled.toString());
        assertThat(compared.exitCode()).as(compared.all()).isZero();
        assertThat(compared.stdout()).contains("\"messages\": " + MESSAGES);
    }

    private static String snapshot(Path maildir) throws Exception {
        return SyncTools.maildirs("snapshot", maildir.toString()).assertSuccess("snapshot").stdout();
    }

    private static int copies(Command.Result offlineimap) {
        return (int) offlineimap.all().lines().filter(line -> line.startsWith("Copy message")).count();
    }

    private static final Pattern COUNT = Pattern.compile("(far|near) side: (\\d+) messages");

    private static int count(String line) {
        Matcher matcher = COUNT.matcher(line);
        return matcher.find() ? Integer.parseInt(matcher.group(2)) : 0;
    }

    /** mbsync prints the two sides of each box one after the other: pairs of (far, near) counts. */
    private static List<int[]> countsPerBox(List<String> counts) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < counts.size(); i += 2) {
            pairs.add(new int[] {count(counts.get(i)), count(counts.get(i + 1))});
        }
        return pairs;
    }
}
