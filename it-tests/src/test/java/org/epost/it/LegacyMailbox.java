package org.epost.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A whole mailbox read over IMAP by {@code mailbox_dump.py}, and filled on the legacy server by {@code legacy_fill.py}. */
final class LegacyMailbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final DateTimeFormatter INTERNALDATE = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    /** What must survive a migration: exact bytes, flags and keywords, internal date (as an instant). */
    record Message(String sha256, List<String> flags, Instant internalDate, long size, String messageId, String subject) {
    }

    record Folder(String name, List<String> attributes, boolean subscribed, List<Message> messages) {
        boolean hasAttribute(String attribute) {
            return attributes.stream().anyMatch(a -> a.equalsIgnoreCase(attribute));
        }
    }

    private LegacyMailbox() {
    }

    static Map<String, Folder> dump(int port, String user, String password, boolean startTls)
            throws IOException, InterruptedException {
        Command.Result result = Command.run(Path.of("."), DEADLINE, List.of("python3",
            Clients.script("mailbox_dump.py").toString(), "127.0.0.1", String.valueOf(port), user, password,
            startTls ? "starttls" : "none")).assertSuccess("mailbox_dump.py " + user);
        Map<String, Folder> folders = new LinkedHashMap<>();
        for (JsonNode folder : JSON.readTree(result.stdout()).get("folders")) {
            List<String> attributes = new ArrayList<>();
            folder.get("attributes").forEach(a -> attributes.add(a.asText()));
            List<Message> messages = new ArrayList<>();
            for (JsonNode message : folder.get("messages")) {
                List<String> flags = new ArrayList<>();
                message.get("flags").forEach(f -> flags.add(f.asText()));
                messages.add(new Message(message.get("sha256").asText(), flags,
                    OffsetDateTime.parse(message.get("internaldate").asText().trim(), INTERNALDATE).toInstant(),
                    message.get("size").asLong(), message.get("messageId").asText(), message.get("subject").asText()));
            }
            folders.put(folder.get("name").asText(), new Folder(folder.get("name").asText(), attributes,
                folder.get("subscribed").asBoolean(), messages));
        }
        return folders;
    }

    /** Appends the messages {@code spec} describes (see legacy_fill.py) as {@code user}; answers how many. */
    static int fill(int port, String user, String password, String spec) throws IOException, InterruptedException {
        Command.Result result = Command.run(Path.of("."), DEADLINE, List.of("python3",
            Clients.script("legacy_fill.py").toString(), "127.0.0.1", String.valueOf(port), user, password, spec))
            .assertSuccess("legacy_fill.py " + user);
        return JSON.readTree(result.stdout()).get("appended").asInt();
    }

    static int count(Map<String, Folder> folders) {
        return folders.values().stream().mapToInt(folder -> folder.messages().size()).sum();
    }
}
