package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue #15 finding 9 on two real peers: peer2 holds no user CA key. A user added there over WebAdmin is pending (a
 * James user, not an ePOST recipient) until the admin certifies its request offline with {@code epost-admin
 * certify-user} and the certificate is posted back; then it receives mail over SMTP and reads it over IMAP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpostUserCertificationIT {
    private static final int BASE_PORT = 28000;
    private static final Duration MAIL_WAIT = Duration.ofMinutes(5);
    private static final String ALICE = "alice@epost.test";
    private static final String DAVE = "dave@epost.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path data;
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        data = Ring.itDataDirectory().resolve("user-certification-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = Ring.withEnvironment(data, BASE_PORT, Map.of("EPOST_RING_NO_USER_CA", "2"));
        ring.up(2);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    private static Command.Result send(int peer, String to, String marker) throws Exception {
        return Clients.swaksRun(ring.port(peer, "smtp"), Duration.ofMinutes(5), "--from", ALICE, "--to", to,
            "--header", "Subject: " + marker, "--body", "Body " + marker, "--timeout", "180");
    }

    @Test
    @Order(1)
    void aUserAddedOnAPeerWithoutTheUserCaKeyIsPendingAndAnsweredAsAnUnknownUser() throws Exception {
        assertThat(Files.exists(ring.peerDirectory(2).resolve("conf/epost-authority/user-ca.key"))).isFalse();
        HttpResponse<String> added = ring.webAdmin(2, "PUT", "/users/" + DAVE,
            "{\"password\":\"" + ring.demoPassword() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(204);

        JsonNode request = ring.webAdminJson(2, "/epost/users/" + DAVE + "/certification-request");
        assertThat(request.get("address").asText()).isEqualTo(DAVE);
        assertThat(request.get("request").asText()).isNotEmpty();
        assertThat(ring.webAdminJson(2, "/epost/certification-requests").findValuesAsText("address")).contains(DAVE);
        assertThat(ring.webAdmin(1, "GET", "/epost/accounts/" + DAVE, null).statusCode()).isEqualTo(404);
        HttpResponse<String> onPeerWithKey = ring.webAdmin(1, "GET", "/epost/users/" + ALICE
            + "/certification-request", null);
        assertThat(onPeerWithKey.statusCode()).isEqualTo(409);
        assertThat(onPeerWithKey.body()).contains("holds the user CA key");

        for (int peer = 1; peer <= 2; peer++) {
            Command.Result refused = send(peer, DAVE, marker("pending"));
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stdout()).contains("550 5.1.1").contains("Unknown user");
        }
    }

    @Test
    @Order(2)
    void certifiedWithEpostAdminTheUserReceivesMailOverSmtpAndReadsItOverImap() throws Exception {
        JsonNode request = ring.webAdminJson(2, "/epost/users/" + DAVE + "/certification-request");
        Path work = Files.createDirectories(data.resolve("certify"));
        Path requestFile = Files.writeString(work.resolve("dave.request"), request.get("request").asText() + "\n");
        Path certificateFile = work.resolve("dave.certificate");
        Command.run(Ring.ROOT, Duration.ofMinutes(2), List.of(Ring.ROOT.resolve("deploy/bin/epost-admin").toString(),
            "certify-user", "--ca", data.resolve("ca").toString(), "--password-file",
            data.resolve("ca/user-ca.password").toString(), "--request", requestFile.toString(), "--out",
            certificateFile.toString())).assertSuccess("epost-admin certify-user");

        HttpResponse<String> garbage = ring.webAdmin(2, "POST", "/epost/users/" + DAVE + "/certificate", "AAAA");
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        HttpResponse<String> certified = ring.webAdmin(2, "POST", "/epost/users/" + DAVE + "/certificate",
            Files.readString(certificateFile));
        assertThat(certified.statusCode()).as(certified.body()).isEqualTo(200);
        assertThat(JSON.readTree(certified.body()).get("address").asText()).isEqualTo(DAVE);

        JsonNode account = ring.webAdminJson(1, "/epost/accounts/" + DAVE);
        assertThat(account.get("homeAddress").asText()).isEqualTo("127.0.0.1:" + ring.port(2, "overlay"));
        assertThat(ring.webAdmin(2, "GET", "/epost/users/" + DAVE + "/certification-request", null).statusCode())
            .isEqualTo(404);
        assertThat(ring.webAdminJson(2, "/epost/certification-requests").findValuesAsText("address"))
            .doesNotContain(DAVE);

        String marker = marker("certified");
        Command.Result sent = send(1, DAVE, marker);
        // peer1 remembers for a few seconds that dave had no certificate: the client tries again, as one would
        Instant retryUntil = Instant.now().plus(Duration.ofMinutes(1));
        while (sent.exitCode() != 0 && sent.stdout().contains("Unknown user") && Instant.now().isBefore(retryUntil)) {
            Thread.sleep(2_000);
            sent = send(1, DAVE, marker);
        }
        sent.assertSuccess("swaks to the certified user");
        awaitInbox(2, DAVE, marker);
    }

    private static void awaitInbox(int peer, String user, String marker) throws Exception {
        Clients.awaitMessage(ring.port(peer, "imap"), user, ring.demoPassword(), marker, MAIL_WAIT);
    }

    private static String marker(String what) {
        return what + "-" + UUID.randomUUID().toString().replace("-", "");
    }
}
