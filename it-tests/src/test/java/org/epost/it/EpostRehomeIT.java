package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue #14 on three real peers: a user survives the deletion of its James account (grace period) and the loss of
 * its home peer's whole disk (re-homed on another peer with the ring's recovery key, by {@code epost-ring rehome}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpostRehomeIT {
    private static final int PEERS = 3;
    private static final Duration MAIL_WAIT = Duration.ofMinutes(5);
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("rehome-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 40100);
        ring.up(PEERS);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    private static String marker(String what) {
        return what + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static void send(int peer, String to, String marker) throws Exception {
        Clients.swaksRun(ring.port(peer, "smtp"), Duration.ofMinutes(5), "--from", ALICE, "--to", to,
            "--header", "Subject: " + marker, "--body", "Body " + marker, "--timeout", "180").assertSuccess("swaks");
    }

    private static void awaitInbox(int peer, String user, String marker) throws Exception {
        Clients.awaitMessage(ring.port(peer, "imap"), user, ring.demoPassword(), marker, MAIL_WAIT);
    }

    private static JsonNode show(int peer, String user) throws Exception {
        return Clients.imapState(ring.port(peer, "imap"), user, ring.demoPassword(), "show", "INBOX", "Kept");
    }

    @Test
    @Order(1)
    void aUserDeletedAndAddedAgainWithinTheGracePeriodFindsAllItsMail() throws Exception {
        String kept = marker("carol-kept");
        send(1, CAROL, kept);
        awaitInbox(3, CAROL, kept);
        Clients.imapState(ring.port(3, "imap"), CAROL, ring.demoPassword(), "mark", kept, "Kept");
        JsonNode before = show(3, CAROL);

        HttpResponse<String> deleted = ring.webAdmin(3, "DELETE", "/users/" + CAROL, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(Clients.imapRead(ring.port(3, "imap"), CAROL, ring.demoPassword()).loggedIn()).isFalse();
        HttpResponse<String> added = ring.webAdmin(3, "PUT", "/users/" + CAROL,
            "{\"password\":\"" + ring.demoPassword() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(204);

        // the same keys, hence the same folder logs: every message, flag, UID and UIDVALIDITY as before
        assertThat(show(3, CAROL)).isEqualTo(before);
    }

    @Test
    @Order(2)
    void bobIsReHomedOnPeer3AfterPeer2sWholeDirectoryIsWipedAndKeepsAllHisMail() throws Exception {
        String first = marker("bob-first");
        String second = marker("bob-second");
        send(1, BOB, first);
        send(3, BOB, second);
        awaitInbox(2, BOB, first);
        awaitInbox(2, BOB, second);
        Clients.imapState(ring.port(2, "imap"), BOB, ring.demoPassword(), "mark", first, "Kept");
        JsonNode before = show(2, BOB);
        assertThat(before.get("INBOX").get("messages")).hasSize(2);
        assertThat(before.toString()).contains("\\Flagged", "$EpostKeep");

        // peer2's disk is lost: killed, its whole directory removed (keys, vault secret, James users, views)
        Path peer2 = ring.peerDirectory(2);
        ring.killPeer(2);
        EpostPeerIT.deleteRecursively(peer2);
        // mail for bob while he has no home: kept by delegates
        String held = marker("bob-held");
        send(1, BOB, held);

        Command.Result rehomed = ring.script("rehome", "bob", "3").assertSuccess("epost-ring rehome");
        ring.refreshStatus();
        assertThat(rehomed.stdout()).contains(BOB + " re-homed on peer3");
        JsonNode account = ring.webAdminJson(1, "/epost/accounts/" + BOB);
        assertThat(account.get("homeAddress").asText()).isEqualTo("127.0.0.1:" + ring.port(3, "overlay"));

        // every folder, message, flag, UID and UIDVALIDITY as on peer2
        JsonNode after = show(3, BOB);
        assertThat(after.get("Kept")).isEqualTo(before.get("Kept"));
        assertThat(after.get("INBOX").get("uidvalidity")).isEqualTo(before.get("INBOX").get("uidvalidity"));
        List<JsonNode> inbox = new ArrayList<>();
        after.get("INBOX").get("messages").forEach(inbox::add);
        List<JsonNode> earlier = new ArrayList<>();
        before.get("INBOX").get("messages").forEach(earlier::add);
        assertThat(inbox).containsAll(earlier);

        // the mail delegates held for the old home reaches the new one, and new mail arrives there
        awaitInbox(3, BOB, held);
        String fresh = marker("bob-fresh");
        send(1, BOB, fresh);
        awaitInbox(3, BOB, fresh);

        // a second re-home of a user homed there already is refused with its reason
        HttpResponse<String> again = ring.webAdmin(3, "POST", "/epost/users/" + BOB + "/rehome/requests", null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        // keys that were not sealed to a pending request are refused with a reason
        HttpResponse<String> forged = ring.webAdmin(1, "POST", "/epost/users/" + CAROL + "/rehome",
            "{\"keys\":\"AAAA\",\"password\":\"x\"}");
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(400);
        assertThat(forged.body()).contains("no pending re-home request");
    }
}
