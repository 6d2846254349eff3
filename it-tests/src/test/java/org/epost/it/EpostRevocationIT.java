package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Revocation (issue #15) on three real peers (ports 49500-49799) that read the revocation list every 2 seconds: the
 * organization revokes peer3's node and bob's user key offline ({@code epost-admin revoke}), the list is uploaded to
 * peer1 only ({@code POST /epost/revocations}); peer2 follows it through PAST within a few polls, peer1 and peer2 drop
 * peer3 from their leaf sets and peer3 loses every link, and mail to bob is refused at RCPT as to an unknown user while
 * mail to alice is still taken.
 */
class EpostRevocationIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Ring ring;
    private static Path data;

    @BeforeAll
    static void startRing() throws Exception {
        data = Ring.itDataDirectory().resolve("revocation-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 49500);
        ring.up(3);
        ring.down();
        for (int peer = 1; peer <= 3; peer++) {
            ring.editConf(peer, "epost.properties", conf -> conf + "\npost.revocations.poll=2s\n");
        }
        ring.restart();
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void aListUploadedToOnePeerIsFollowedByTheOthersCutsTheRevokedNodeOffAndRefusesTheRevokedUser()
            throws Exception {
        awaitJson(1, "/epost/ring", ring -> ring.get("leafSet").size() == 2);
        String peer3 = get(3, "/epost/ring").get("node").get("id").asText();
        String bobKey = get(2, "/epost/accounts/" + BOB).get("revocationKey").asText();
        Path block = data.resolve("revocations.upload");
        Command.run(Ring.ROOT, WAIT, List.of(Ring.ROOT.resolve("deploy/bin/epost-admin").toString(), "revoke",
            "--ca", data.resolve("ca").toString(), "--ca-password-file", data.resolve("ca/ca.password").toString(),
            "--user-ca-password-file", data.resolve("ca/user-ca.password").toString(), "--node", peer3,
            "--user-key", bobKey, "--out", block.toString())).assertSuccess("epost-admin revoke");

        HttpResponse<String> uploaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + ring.port(1, "webadmin") + "/epost/revocations"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(block))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        assertThat(JSON.readTree(uploaded.body()).get("enforced").asLong()).isEqualTo(1);

        // peer2 was not told: it reads the list from PAST at its next polls
        JsonNode followed = awaitJson(2, "/epost/revocations", list -> list.get("number").asLong() == 1);
        assertThat(followed.get("nodes")).extracting(JsonNode::asText).containsExactly(peer3);
        assertThat(followed.get("userKeys")).extracting(JsonNode::asText).containsExactly(bobKey);
        for (int peer = 1; peer <= 2; peer++) {
            awaitJson(peer, "/epost/ring", ring -> ring.get("leafSet").size() == 1
                && !ring.get("leafSet").toString().contains(peer3));
        }
        awaitJson(3, "/epost/ring", ring -> ring.get("leafSet").isEmpty());

        try (SmtpWire smtp = new SmtpWire(ring.port(1, "smtp"))) {
            smtp.command("EHLO client.test");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BOB + ">")).as("the revoked user").startsWith("550");
            assertThat(smtp.command("RCPT TO:<" + ALICE + ">")).startsWith("250");
            smtp.command("QUIT");
        }
    }

    private static JsonNode get(int peer, String path) throws Exception {
        HttpResponse<String> response = ring.webAdmin(peer, "GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitJson(int peer, String path, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = get(peer, path);
        while (!condition.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(1_000);
            last = get(peer, path);
        }
        assertThat(condition.test(last)).as("peer%d %s: %s", peer, path, last).isTrue();
        return last;
    }
}
