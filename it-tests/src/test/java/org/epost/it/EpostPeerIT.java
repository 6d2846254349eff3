package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The foundation, end to end: real James peers started by {@code epost-ring}, real clients over real sockets.
 * One 3-peer ring serves all tests of this class; the restart tests leave it running again.
 */
class EpostPeerIT {
    private static final int PEERS = 3;
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("ring");
        deleteRecursively(data);
        ring = new Ring(data, 23000);
        ring.up(PEERS);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void everyPeerShowsThePluginInWebAdminAndHealthcheck() throws Exception {
        for (int peer = 1; peer <= PEERS; peer++) {
            JsonNode status = ring.webAdminJson(peer, "/epost/status");
            assertThat(status.get("peerName").asText()).isEqualTo("peer" + peer);
            assertThat(status.get("product").asText()).isEqualTo("ePOST for Apache James");
            assertThat(status.get("version").asText()).isNotBlank();
            assertThat(Path.of(status.get("dataDirectory").asText())).isEqualTo(ring.peerDirectory(peer).resolve("var/epost"));

            JsonNode health = ring.webAdminJson(peer, "/healthcheck/checks/ePOST");
            assertThat(health.get("status").asText()).isEqualTo("healthy");
        }
    }

    @Test
    void thePeersFormOneOverlayRing() throws Exception {
        List<String> nodeIds = new ArrayList<>();
        for (int peer = 1; peer <= PEERS; peer++) {
            nodeIds.add(ring.webAdminJson(peer, "/epost/status").get("nodeId").asText());
        }
        assertThat(nodeIds).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{40}"));
        for (int peer = 1; peer <= PEERS; peer++) {
            JsonNode view = ring.webAdminJson(peer, "/epost/ring");
            assertThat(view.get("ready").asBoolean()).isTrue();
            assertThat(view.get("ringSizeEstimate").asLong()).isEqualTo(PEERS);
            assertThat(view.get("node").get("address").asText()).isEqualTo("127.0.0.1:" + ring.port(peer, "overlay"));
            List<String> leafSet = new ArrayList<>();
            view.get("leafSet").forEach(member -> leafSet.add(member.get("id").asText()));
            List<String> others = new ArrayList<>(nodeIds);
            others.remove(peer - 1);
            assertThat(leafSet).containsExactlyInAnyOrderElementsOf(others);
        }
    }

    @Test
    void usersOfTheEpostDomainGetAnAccountThatEveryPeerVerifies() throws Exception {
        String webAdminUser = "ivan-" + unique() + "@epost.test";
        String cliUser = "judy-" + unique() + "@epost.test";
        assertThat(ring.webAdmin(2, "PUT", "/users/" + webAdminUser, "{\"password\":\"ivan-secret\"}").statusCode()).isEqualTo(204);
        Command.Result cli = Clients.jamesCli(ring.peerDirectory(3), ring.port(3, "jmx"), "AddUser", cliUser, "judy-secret");
        assertThat(cli.exitCode()).as(cli.all()).isZero();
        String peer2Node = ring.webAdminJson(2, "/epost/status").get("nodeId").asText();
        String peer3Node = ring.webAdminJson(3, "/epost/status").get("nodeId").asText();

        for (int reader = 1; reader <= PEERS; reader++) {
            JsonNode ivan = ring.webAdminJson(reader, "/epost/accounts/" + webAdminUser);
            assertThat(ivan.get("homeNodeId").asText()).isEqualTo(peer2Node);
            assertThat(ivan.get("signingKey").asText()).matches("[0-9a-f]{64}");
            JsonNode judy = ring.webAdminJson(reader, "/epost/accounts/" + cliUser);
            assertThat(judy.get("homeNodeId").asText()).isEqualTo(peer3Node);
            assertThat(judy.get("encryptionKey").asText()).isNotEqualTo(ivan.get("encryptionKey").asText());
        }
        assertThat(ring.webAdmin(1, "GET", "/epost/accounts/nobody-" + unique() + "@epost.test", null).statusCode()).isEqualTo(404);
        // The demo users got theirs when epost-ring created them.
        assertThat(ring.webAdminJson(3, "/epost/accounts/alice@epost.test").get("homeAddress").asText())
            .isEqualTo("127.0.0.1:" + ring.port(1, "overlay"));
        // Private keys are on the home peer only, sealed: no file of the vault mentions the user.
        try (var files = Files.list(ring.peerDirectory(2).resolve("var/epost/keys"))) {
            for (Path file : files.toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("ivan-");
            }
        }
    }

    @Test
    void demoUsersLiveOnTheirHomePeers() throws Exception {
        String[] users = {"alice", "bob", "carol"};
        for (int i = 0; i < users.length; i++) {
            int home = i % PEERS + 1;
            for (int peer = 1; peer <= PEERS; peer++) {
                int status = ring.webAdmin(peer, "HEAD", "/users/" + users[i] + "@epost.test", null).statusCode();
                assertThat(status).as(users[i] + " on peer" + peer).isEqualTo(peer == home ? 200 : 404);
            }
        }
        assertThat(ring.webAdminJson(2, "/domains").toString()).contains("epost.test");
    }

    @Test
    void usersAddedWithWebAdminAndWithTheJamesCliExchangeMailOverSmtpAndImap() throws Exception {
        String webAdminUser = "erin-" + unique() + "@epost.test";
        String cliUser = "frank-" + unique() + "@epost.test";
        assertThat(ring.webAdmin(1, "PUT", "/users/" + webAdminUser, "{\"password\":\"erin-secret\"}").statusCode()).isEqualTo(204);
        Command.Result cli = Clients.jamesCli(ring.peerDirectory(1), ring.port(1, "jmx"), "AddUser", cliUser, "frank-secret");
        assertThat(cli.exitCode()).as(cli.all()).isZero();

        String token = "token-" + unique();
        Command.Result sent = Clients.swaks(ring.port(1, "smtp"), webAdminUser, List.of(cliUser),
            "Hello from the foundation", "The body carries " + token + ".");
        assertThat(sent.stdout()).contains("250 2.6.0 Message received");

        List<String> inbox = awaitMessages(1, cliUser, "frank-secret", 1);
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0))
            .contains("Subject: Hello from the foundation")
            .contains("From: " + webAdminUser)
            .contains("To: " + cliUser)
            .contains("The body carries " + token + ".");
    }

    @Test
    void aWrongPasswordIsRefusedOverImap() throws Exception {
        assertThat(Clients.imapRead(ring.port(1, "imap"), "alice@epost.test", "not-the-password").loggedIn()).isFalse();
        assertThat(Clients.imapRead(ring.port(1, "imap"), "alice@epost.test", ring.demoPassword()).loggedIn()).isTrue();
    }

    @Test
    void usersDomainsAndPasswordsSurviveARestart() throws Exception {
        String user = "grace-" + unique() + "@epost.test";
        assertThat(ring.webAdmin(2, "PUT", "/users/" + user, "{\"password\":\"grace-secret\"}").statusCode()).isEqualTo(204);
        assertThat(ring.webAdmin(2, "PUT", "/domains/restart.test", null).statusCode()).isEqualTo(204);

        ring.down();
        assertThat(ring.refreshStatus().get("peers").get(1).get("running").asBoolean()).isFalse();
        ring.up(PEERS);

        assertThat(ring.webAdmin(2, "HEAD", "/users/" + user, null).statusCode()).isEqualTo(200);
        assertThat(ring.webAdmin(2, "HEAD", "/users/bob@epost.test", null).statusCode()).isEqualTo(200);
        assertThat(ring.webAdminJson(2, "/domains").toString()).contains("restart.test").contains("epost.test");
        assertThat(Clients.imapRead(ring.port(2, "imap"), user, "grace-secret").loggedIn()).isTrue();
    }

    @Test
    void anAccountAcknowledgedJustBeforeKillMinusNineIsStillThere() throws Exception {
        String user = "heidi-" + unique() + "@epost.test";
        assertThat(ring.webAdmin(3, "PUT", "/users/" + user, "{\"password\":\"heidi-secret\"}").statusCode()).isEqualTo(204);

        long pid = ring.peer(3).get("pid").asLong();
        ProcessHandle peer = ProcessHandle.of(pid).orElseThrow();
        peer.destroyForcibly(); // SIGKILL
        peer.onExit().get();
        ring.up(PEERS);

        assertThat(ring.webAdmin(3, "HEAD", "/users/" + user, null).statusCode()).isEqualTo(200);
        assertThat(Clients.imapRead(ring.port(3, "imap"), user, "heidi-secret").loggedIn()).isTrue();
        // The restarted peer is back in the one ring, with the same node id (its credentials are on disk).
        for (int other = 1; other <= PEERS; other++) {
            assertThat(ring.webAdminJson(other, "/epost/ring").get("ringSizeEstimate").asLong()).isEqualTo(PEERS);
        }
    }

    @Test
    void upRefusesAPortInUseAndNamesIt() throws Exception {
        Path data = Ring.itDataDirectory().resolve("busy-port");
        deleteRecursively(data);
        Ring busy = new Ring(data, 23500);
        try (ServerSocket squatter = new ServerSocket(23525, 1, InetAddress.getLoopbackAddress())) {
            Command.Result result = busy.script("up", "--peers", "1", "--base-port", "23500");

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("port 23525").contains("in use");
        }
    }

    @Test
    void upReportsABadConfigurationWithTheLastLogLines() throws Exception {
        Path data = Ring.itDataDirectory().resolve("bad-config");
        deleteRecursively(data);
        Ring bad = new Ring(data, 23700);
        bad.up(1);
        bad.down();
        Path properties = data.resolve("peer1/conf/epost.properties");
        Files.writeString(properties, Files.readString(properties) + "\npeer.nmae=typo\n");

        Command.Result result = bad.script("up");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("peer1 did not start").contains("Unknown keys").contains("peer.nmae");
    }

    @Test
    void upRefusesAJavaOlderThan17(@TempDir Path fakeJdk) throws Exception {
        Path fakeJava = fakeJdk.resolve("bin/java");
        Files.createDirectories(fakeJava.getParent());
        Files.writeString(fakeJava, "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n");
        fakeJava.toFile().setExecutable(true);

        Command.Result result = Command.run(Ring.ROOT, Duration.ofMinutes(1), List.of("env", "JAVA_HOME=" + fakeJdk,
            Ring.SCRIPT.toString(), "up", "--data", Ring.itDataDirectory().resolve("old-java").toString()));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Java 11.0.21").contains("JDK 17");
    }

    private static List<String> awaitMessages(int peer, String user, String password, int count) throws Exception {
        // Delivery is asynchronous after the 250 (the spool queue); poll like a mail client would.
        List<String> messages = new ArrayList<>();
        for (int attempt = 0; attempt < 120 && messages.size() < count; attempt++) {
            messages = Clients.imapRead(ring.port(peer, "imap"), user, password).messages();
            if (messages.size() < count) {
                Thread.sleep(500);
            }
        }
        return messages;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static void deleteRecursively(Path path) throws Exception {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
