package org.epost.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The real mail clients of the tests: swaks for SMTP, Python's imaplib for IMAP, James's own CLI over JMX. */
final class Clients {
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Clients() {
    }

    /** Sends one message with swaks; returns its output (the SMTP dialogue). */
    static Command.Result swaks(int smtpPort, String from, List<String> to, String subject, String body, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + smtpPort,
            "--from", from, "--to", String.join(",", to), "--header", "Subject: " + subject, "--body", body,
            "--timeout", "60"));
        command.addAll(List.of(extra));
        return Command.run(Path.of("."), DEADLINE, command).assertSuccess("swaks");
    }

    /** Runs swaks against 127.0.0.1:{@code smtpPort} with {@code arguments}, whatever its exit code. */
    static Command.Result swaksRun(int smtpPort, Duration deadline, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + smtpPort));
        command.addAll(List.of(arguments));
        return Command.run(Path.of("."), deadline, command);
    }

    /**
     * A message as {@code imap_digest.py} describes it: its size, SHA-256, attachments (decoded), its BODYSTRUCTURE and,
     * for a multipart, its second part fetched alone (decoded).
     */
    record Digest(long size, String sha256, List<Attachment> attachments, Optional<Attachment> section2,
                  String bodyStructure) {
    }

    record Attachment(String name, long size, String sha256) {
    }

    /** The INBOX of {@code user} as digests (for messages too big to pass around whole). */
    static List<Digest> imapDigests(int imapPort, String user, String password, Duration deadline)
            throws IOException, InterruptedException {
        Command.Result result = Command.run(Path.of("."), deadline,
            List.of("python3", script("imap_digest.py").toString(), "127.0.0.1", String.valueOf(imapPort), user, password));
        result.assertSuccess("imap_digest.py");
        List<Digest> digests = new ArrayList<>();
        for (JsonNode message : JSON.readTree(result.stdout()).get("messages")) {
            List<Attachment> attachments = new ArrayList<>();
            for (JsonNode attachment : message.get("attachments")) {
                attachments.add(new Attachment(attachment.get("name").asText(), attachment.get("size").asLong(),
                    attachment.get("sha256").asText()));
            }
            JsonNode section = message.get("section2");
            Optional<Attachment> section2 = section == null || section.isNull() ? Optional.empty()
                : Optional.of(new Attachment("2", section.get("size").asLong(), section.get("sha256").asText()));
            digests.add(new Digest(message.get("size").asLong(), message.get("sha256").asText(), attachments, section2,
                message.get("bodystructure").asText()));
        }
        return digests;
    }

    /** A mailbox as an IMAP client sees it. */
    record Mailbox(boolean loggedIn, List<String> messages) {
    }

    static Mailbox imapRead(int imapPort, String user, String password) throws IOException, InterruptedException {
        Command.Result result = Command.run(Path.of("."), DEADLINE,
            List.of("python3", script("imap_read.py").toString(), "127.0.0.1", String.valueOf(imapPort), user, password));
        if (result.exitCode() == 2) {
            return new Mailbox(false, List.of());
        }
        result.assertSuccess("imap_read.py");
        JsonNode mailbox = JSON.readTree(result.stdout());
        List<String> messages = new ArrayList<>();
        for (JsonNode message : mailbox.get("messages")) {
            messages.add(new String(Base64.getDecoder().decode(message.get("rfc822").asText()), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Mailbox(true, messages);
    }

    /** Waits until {@code user}'s INBOX holds a message containing {@code marker}, reading it over IMAP. */
    static void awaitMessage(int imapPort, String user, String password, String marker, Duration wait)
            throws IOException, InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(wait);
        while (java.time.Instant.now().isBefore(deadline)) {
            Mailbox mailbox = imapRead(imapPort, user, password);
            if (mailbox.loggedIn() && mailbox.messages().stream().anyMatch(m -> m.contains(marker))) {
                return;
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("No message " + marker + " for " + user + " on IMAP port " + imapPort + " within "
            + wait);
    }

    /** Runs imap_state.py (mark / show, see the script) and returns its JSON output. */
    static JsonNode imapState(int imapPort, String user, String password, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script("imap_state.py").toString(), "127.0.0.1",
            String.valueOf(imapPort), user, password));
        command.addAll(List.of(arguments));
        Command.Result result = Command.run(Path.of("."), DEADLINE, command).assertSuccess("imap_state.py");
        return JSON.readTree(result.stdout());
    }

    /** Runs imap_quota.py: the quota roots and limited quotas of a mailbox (GETQUOTAROOT), as JSON. */
    static JsonNode imapQuota(int imapPort, String user, String password, String mailbox)
            throws IOException, InterruptedException {
        Command.Result result = Command.run(Path.of("."), DEADLINE, List.of("python3", script("imap_quota.py").toString(),
            "127.0.0.1", String.valueOf(imapPort), user, password, mailbox)).assertSuccess("imap_quota.py");
        return JSON.readTree(result.stdout());
    }

    /** Runs pop3_jmap_read.py: the INBOX over POP3 (message digests) and JMAP (subjects), as JSON. */
    static JsonNode pop3AndJmapRead(int pop3Port, int jmapPort, String user, String password)
            throws IOException, InterruptedException {
        Command.Result result = Command.run(Path.of("."), DEADLINE, List.of("python3",
            script("pop3_jmap_read.py").toString(), "127.0.0.1", String.valueOf(pop3Port), String.valueOf(jmapPort),
            user, password)).assertSuccess("pop3_jmap_read.py");
        return JSON.readTree(result.stdout());
    }

    /** Runs the stock James CLI against a peer, from the peer's directory (where its JMX password file is). */
    static Command.Result jamesCli(Path peerDirectory, int jmxPort, String... arguments) throws IOException, InterruptedException {
        Path jamesHome = Ring.ROOT.resolve("deploy/target/epost-james");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", jamesHome.resolve("james-server-memory-app.lib").toString() + "/*",
            "org.apache.james.cli.ServerCmd", "-h", "127.0.0.1", "-p", String.valueOf(jmxPort)));
        command.addAll(List.of(arguments));
        return Command.run(peerDirectory, DEADLINE, command);
    }

    /** The client scripts import it from their own directory. */
    private static final String SHARED_MODULE = "imap_session.py";

    static Path script(String name) throws IOException {
        copyToTarget(SHARED_MODULE);
        return copyToTarget(name);
    }

    private static Path copyToTarget(String name) throws IOException {
        Path target = Path.of("target", name);
        try (InputStream in = Clients.class.getResourceAsStream("/" + name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target.toAbsolutePath();
    }
}
