package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Maximum quotas an admin sets with James's WebAdmin are durable on a real peer: a user's in their account log, the
 * peer's global and domain limits in {@code var/epost/quota/limits.json}, which must be readable for the peer to
 * start. One 1-peer ring (alice lives on it).
 */
class EpostQuotaIT {
    private static final String ALICE = "alice@epost.test";
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("quota-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 25500);
        ring.up(1);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void limitsSetOverWebAdminSurviveARestartAndShowInImap() throws Exception {
        assertThat(ring.webAdmin(1, "PUT", "/quota/users/" + ALICE + "/size", "1048576").statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(1, "PUT", "/quota/count", "5000").statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(1, "PUT", "/quota/domains/epost.test/size", "4194304").statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(1, "PUT", "/quota/users/" + ALICE + "/count", "-1").statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(1, "DELETE", "/quota/users/" + ALICE + "/count", null).statusCode()).isEqualTo(204);
        JsonNode before = ring.webAdminJson(1, "/quota/users/" + ALICE);

        ring.down();
        ring.up(1);

        JsonNode after = ring.webAdminJson(1, "/quota/users/" + ALICE);
        assertThat(after.get("user").get("size").asLong()).isEqualTo(1048576);
        assertThat(after.get("user").path("count").isIntegralNumber()).as(after.toString()).isFalse();
        assertThat(after.get("domain").get("size").asLong()).isEqualTo(4194304);
        assertThat(after.get("global").get("count").asLong()).isEqualTo(5000);
        assertThat(after.get("computed").get("size").asLong()).isEqualTo(1048576);
        assertThat(after.get("computed").get("count").asLong()).isEqualTo(5000);
        JsonNode limitsAfter = ((ObjectNode) after.deepCopy()).without("occupation");
        JsonNode limitsBefore = ((ObjectNode) before.deepCopy()).without("occupation");
        assertThat(limitsAfter).isEqualTo(limitsBefore);
        assertThat(ring.webAdmin(1, "GET", "/quota/count", null).body()).isEqualTo("5000");
        assertThat(Files.readString(ring.peerDirectory(1).resolve("var/epost/quota/limits.json")))
            .contains("\"epost.test\"").contains("5000");

        JsonNode imap = Clients.imapQuota(ring.port(1, "imap"), ALICE, ring.demoPassword(), "INBOX");
        assertThat(imap.get("roots").get(0).asText()).isEqualTo("#private&" + ALICE);
        assertThat(imap.get("quotas").toString())
            .contains("\"resource\":\"STORAGE\",\"used\":")
            .contains("\"limit\":1024}")   // 1 MiB in KiB
            .contains("\"resource\":\"MESSAGE\",\"used\":")
            .contains("\"limit\":5000}");

        // The peer must not run without the limits its admin set: a corrupt file stops the start and is named.
        ring.down();
        Path limits = ring.peerDirectory(1).resolve("var/epost/quota/limits.json");
        Files.writeString(limits, "{\"global\": {\"count\": \"lots\"}, \"domains\": {}}");
        Command.Result refused = ring.script("up");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("peer1 did not start")
            .contains("quota limits file " + limits + " is corrupt");
    }
}
