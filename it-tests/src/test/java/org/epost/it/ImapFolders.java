package org.epost.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A user's folder on a ring's peer, read over real IMAP ({@code imap_read.py}): each message's RFC 822 text. */
final class ImapFolders {
    private static final Duration WAIT = Duration.ofMinutes(5);

    private ImapFolders() {
    }

    /** The messages of {@code mailbox}; none when the folder does not exist (yet). */
    static List<String> read(Ring ring, int peer, String user, String mailbox) throws Exception {
        Command.Result result = Command.run(Path.of("."), WAIT, List.of("python3",
            Clients.script("imap_read.py").toString(), "127.0.0.1", String.valueOf(ring.port(peer, "imap")), user,
            ring.demoPassword(), mailbox));
        if (result.exitCode() != 0) {
            return List.of(); // the folder does not exist yet
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode message : new ObjectMapper().readTree(result.stdout()).get("messages")) {
            messages.add(new String(Base64.getDecoder().decode(message.get("rfc822").asText()),
                StandardCharsets.UTF_8));
        }
        return messages;
    }
}
