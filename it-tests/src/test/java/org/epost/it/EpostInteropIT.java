package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * ePOST meets the mail world outside it (issue #12: origin, submission, outbound, no silent loss), on real servers:
 * one ePOST peer (base port 34000; alice, bob and carol all live on it) and, as the Internet, an unmodified Apache
 * James 3.8.1 ({@code epost-ring up --stock}, base port 34500) serving the domain {@code outside.test}. The two are
 * wired to each other as MX records would: the ePOST peer's RemoteDelivery uses the stock server as its gateway
 * (through a {@link Link} the tests cut to make it unreachable), and the stock server relays mail for
 * {@code epost.test} to the ePOST peer (both set in the servers' conf by the tests, in place of DNS). Clients are swaks and Python's imaplib. The
 * waits only bound a hung server; nothing asserts on speed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpostInteropIT {
    private static final Duration MAIL_WAIT = Duration.ofMinutes(5);
    private static final Duration SWAKS = Duration.ofMinutes(4);
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static final String EXT = "ext@outside.test";
    private static final String EXT_PASSWORD = "ext-secret";
    /** The ePOST peer's name in Authentication-Results: its host name (the same machine as the tests). */
    private static final String AUTHSERV_ID = authservId();
    private static Ring epost;
    private static Ring outside;
    /** The ePOST peer's way to the outside server. */
    private static Link link;
    private static final int LINK_PORT = 34990;

    @BeforeAll
    static void startServers() throws Exception {
        Path data = Ring.itDataDirectory().resolve("interop");
        EpostPeerIT.deleteRecursively(data);
        outside = new Ring(data.resolve("outside"), 34500);
        epost = new Ring(data.resolve("epost"), 34000);
        outside.upStock(1);
        epost.up(1);
        // As MX records would: outbound mail of the ePOST peer goes to the stock server (through a link the tests
        // can cut), which relays epost.test to the ePOST peer. Short retry delays, so that retries happen in the test.
        link = new Link(LINK_PORT, outside.port(1, "smtp"));
        int epostSmtp = epost.port(1, "smtp");
        outside.down();
        epost.down();
        epost.editConf(1, "mailetcontainer.xml", conf -> gatewayTo(conf, LINK_PORT));
        outside.editConf(1, "mailetcontainer.xml", conf -> gatewayTo(conf, epostSmtp));
        outside.restart();
        epost.restart();
        outsideIsTheInternet();
    }

    /** RemoteDelivery sends everything to 127.0.0.1:{@code port}, retrying every 2 s. */
    private static String gatewayTo(String mailetcontainer, int port) {
        return mailetcontainer
            .replaceFirst("<delayTime>[^<]*</delayTime>", "<delayTime>2000</delayTime>")
            .replaceFirst("<maxRetries>[^<]*</maxRetries>", "<maxRetries>200</maxRetries>")
            .replaceFirst("<outgoingQueue>outgoing</outgoingQueue>",
                "<outgoingQueue>outgoing</outgoingQueue><gateway>127.0.0.1:" + port + "</gateway>");
    }

    /** The stock server serves outside.test and relays epost.test, which epost-ring made one of its domains. */
    private static void outsideIsTheInternet() throws Exception {
        assertThat(outside.webAdmin(1, "PUT", "/domains/outside.test", null).statusCode()).isEqualTo(204);
        assertThat(outside.webAdmin(1, "PUT", "/users/" + EXT, "{\"password\":\"" + EXT_PASSWORD + "\"}").statusCode())
            .isIn(204, 409);
        for (String user : List.of(ALICE, BOB, CAROL)) {
            outside.webAdmin(1, "DELETE", "/users/" + user, null);
        }
        int status = outside.webAdmin(1, "DELETE", "/domains/epost.test", null).statusCode();
        assertThat(status).as("removing epost.test from the outside server").isIn(204, 404);
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (link != null) {
            link.close();
        }
        if (epost != null) {
            epost.down();
        }
        if (outside != null) {
            outside.down();
        }
    }

    private static String authservId() {
        try {
            return java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static String marker(String what) {
        return what + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** swaks against 127.0.0.1:{@code port}; the dialogue whatever its outcome. */
    private static Command.Result swaks(int port, String... arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--timeout", "180"));
        return Clients.swaksRun(port, SWAKS, all.toArray(String[]::new));
    }

    /** Submits as {@code user} on the ePOST peer's submission port: STARTTLS, then AUTH PLAIN. */
    private static Command.Result submit(String user, String from, String to, String subject, String... extra)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("-tls", "--auth", "PLAIN", "--auth-user", user,
            "--auth-password", epost.demoPassword(), "--from", from, "--to", to, "--header", "Subject: " + subject,
            "--body", "Body of " + subject));
        arguments.addAll(List.of(extra));
        return swaks(epost.port(1, "submission"), arguments.toArray(String[]::new));
    }

    private static List<String> awaitInbox(int imapPort, String user, String password, Predicate<List<String>> wanted)
            throws Exception {
        Instant deadline = Instant.now().plus(MAIL_WAIT);
        List<String> messages = List.of();
        while (Instant.now().isBefore(deadline)) {
            Clients.Mailbox mailbox = Clients.imapRead(imapPort, user, password);
            messages = mailbox.messages();
            if (mailbox.loggedIn() && wanted.test(messages)) {
                return messages;
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("No wanted message for " + user + " within " + MAIL_WAIT + "; INBOX holds "
            + messages.size() + " messages");
    }

    /** The one message of {@code user}'s ePOST INBOX containing {@code marker}, once it is there. */
    private static String epostMessage(String user, String marker) throws Exception {
        List<String> found = awaitInbox(epost.port(1, "imap"), user, epost.demoPassword(),
            messages -> messages.stream().anyMatch(m -> m.contains(marker))).stream()
            .filter(m -> m.contains(marker)).toList();
        assertThat(found).as("messages with " + marker).hasSize(1);
        return found.get(0);
    }

    /** The message's header fields named {@code name} (any case), unfolded. */
    private static List<String> headerFields(String message, String name) {
        String header = message.split("\r?\n\r?\n", 2)[0];
        List<String> fields = new ArrayList<>();
        for (String field : header.split("\r?\n(?![ \t])")) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().toLowerCase(Locale.ROOT)
                    .equals(name.toLowerCase(Locale.ROOT))) {
                fields.add(field.replaceAll("\r?\n", ""));
            }
        }
        return fields;
    }

    private static void assertOrigin(String message, String value) {
        assertThat(headerFields(message, "X-ePOST-Origin")).as(message).containsExactly("X-ePOST-Origin: " + value);
        assertThat(message).startsWith("X-ePOST-Origin: " + value + "\r\n");
    }

    @Test
    @Order(1)
    void internetMailIsTaggedExternalAndForgedTagsAreRemoved() throws Exception {
        String marker = marker("internet");
        // through the outside MTA, which relays it to the ePOST peer; forged tags in every spelling
        Command.Result sent = swaks(outside.port(1, "smtp"), "--from", "someone@outside.test", "--to", ALICE,
            "--header", "Subject: " + marker, "--header", "From: Bob <" + BOB + ">",
            "--header", "X-ePOST-Origin: verified; sender=<" + BOB + ">",
            "--header", "x-epost-origin:\r\n verified; sender=<" + BOB + ">",
            "--header", "X-EPOST-ORIGIN : verified; sender=<" + BOB + ">",
            "--header", "Authentication-Results: " + AUTHSERV_ID + "; spf=pass; dkim=pass (forged)",
            "--header", "Authentication-Results: mx.elsewhere.example; spf=pass",
            "--body", "Body of " + marker);
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();

        String message = epostMessage(ALICE, marker);
        assertOrigin(message, "external");
        assertThat(message).contains("Received:").contains("From: Bob <" + BOB + ">");
        // James's SPF and DKIMVerify mailets ran on the MX port: their verdicts in one header naming this server
        // (SPF ignores a loopback client; no signature), the forged one claiming this server removed
        assertThat(headerFields(message, "Authentication-Results")).containsExactlyInAnyOrder(
            "Authentication-Results: mx.elsewhere.example; spf=pass",
            "Authentication-Results: " + AUTHSERV_ID + "; spf=none (not checked: the client is in a network the SPF"
                + " check ignores); dkim=none (no signatures)");
    }

    @Test
    @Order(2)
    void mailAnAuthenticatedUserSubmitsFromTheirOwnAddressIsVerified() throws Exception {
        String marker = marker("verified");
        Command.Result sent = submit(BOB, BOB, ALICE, marker, "--header", "From: Bob <" + BOB + ">",
            "--header", "X-ePOST-Origin: external");
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();
        // AUTH is offered to this loopback client (after STARTTLS, as requireSSL asks)
        assertThat(sent.stdout()).containsPattern("250[ -]AUTH ");

        assertOrigin(epostMessage(ALICE, marker), "verified; sender=<" + BOB + ">");

        // authenticated, but the From: is someone else's: not vouched for
        String other = marker("other-from");
        assertThat(submit(BOB, BOB, ALICE, other, "--header", "From: " + CAROL).exitCode()).isZero();
        assertOrigin(epostMessage(ALICE, other), "external");
    }

    @Test
    @Order(3)
    void anUnauthenticatedClientClaimingAnInternalAddressIsExternal() throws Exception {
        String marker = marker("claimed");
        Command.Result sent = swaks(epost.port(1, "smtp"), "--from", BOB, "--to", ALICE, "--header",
            "Subject: " + marker, "--header", "From: " + BOB, "--header",
            "X-ePOST-Origin: verified; sender=<" + BOB + ">", "--body", "Body of " + marker);
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();
        assertOrigin(epostMessage(ALICE, marker), "external");
    }

    @Test
    @Order(4)
    void theSubmissionPortRequiresAuthAndTheAuthenticatedSender() throws Exception {
        int submission = epost.port(1, "submission");
        Command.Result anonymous = swaks(submission, "-tls", "--from", "someone@outside.test", "--to", ALICE,
            "--body", "no auth");
        assertThat(anonymous.exitCode()).isNotZero();
        assertThat(anonymous.stdout()).containsPattern("250[ -]AUTH ").contains("530 5.7.0 Authentication required");

        Command.Result impostor = submit(BOB, ALICE, CAROL, marker("impostor"));
        assertThat(impostor.exitCode()).isNotZero();
        assertThat(impostor.stdout()).contains("503 5.7.1");
    }

    @Test
    @Order(5)
    void mailToTheOutsideIsDeliveredByRemoteDelivery() throws Exception {
        String marker = marker("outbound");
        Command.Result sent = submit(BOB, BOB, EXT, marker);
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();

        List<String> inbox = awaitInbox(outside.port(1, "imap"), EXT, EXT_PASSWORD,
            messages -> messages.stream().anyMatch(m -> m.contains(marker)));
        assertThat(inbox.stream().filter(m -> m.contains(marker))).singleElement()
            .satisfies(m -> assertThat(m).contains("Body of " + marker));
    }

    @Test
    @Order(6)
    void mailToTheOutsideIsRetriedWhileItsServerIsUnreachableAndDeliveredWhenItIsBack() throws Exception {
        // the outside server is unreachable (connections refused); stopping stock James itself would lose its
        // users, which it keeps in memory
        link.cut();
        String marker = marker("retried");
        Command.Result sent = submit(BOB, BOB, EXT, marker);
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();
        // several 2-second retries fail meanwhile
        Thread.sleep(10_000);
        assertThat(Clients.imapRead(outside.port(1, "imap"), EXT, EXT_PASSWORD).messages())
            .noneMatch(m -> m.contains(marker));
        link.restore();

        List<String> inbox = awaitInbox(outside.port(1, "imap"), EXT, EXT_PASSWORD,
            messages -> messages.stream().anyMatch(m -> m.contains(marker)));
        assertThat(inbox.stream().filter(m -> m.contains(marker))).hasSize(1);
    }

    @Test
    @Order(7)
    void mailToAnAddressTheOutsideRefusesBouncesAsADsnIntoTheSendersEpostInbox() throws Exception {
        String marker = marker("refused-outside");
        Command.Result sent = submit(BOB, BOB, "nobody@outside.test", marker);
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();

        String dsn = epostMessage(BOB, marker);
        assertThat(dsn.toLowerCase(Locale.ROOT)).contains("multipart/report").contains("report-type=delivery-status");
        assertThat(dsn).contains("Final-Recipient: rfc822; nobody@outside.test")
            .contains("Action: failed");
        assertOrigin(dsn, "external");
    }

    @Test
    @Order(7)
    void theDsnParametersOfRfc3461AreHonouredByTheBounces() throws Exception {
        String headersOnly = marker("dsn-headers-only");
        Command.Result sent = dsnSubmit(BOB, "nobody@outside.test", headersOnly, "--ret", "HDRS", "--envid", "env-" + headersOnly);
        assertThat(sent.stdout()).as(sent.all()).contains("\"dsn\"");
        String dsn = epostMessage(BOB, headersOnly);
        assertThat(dsn).contains("Original-Envelope-Id: env-" + headersOnly).contains("Action: failed")
            .doesNotContain("Body of " + headersOnly);
        assertThat(dsn.toLowerCase(Locale.ROOT)).contains("text/rfc822-headers");

        // NOTIFY=NEVER: no report; a later mail without it shows when the first one's report would have come
        String never = marker("dsn-never");
        dsnSubmit(BOB, "nobody@outside.test", never, "--notify", "NEVER");
        String control = marker("dsn-control");
        dsnSubmit(BOB, "nobody@outside.test", control);
        epostMessage(BOB, control);
        Clients.Mailbox inbox = Clients.imapRead(epost.port(1, "imap"), BOB, epost.demoPassword());
        assertThat(inbox.messages()).noneMatch(m -> m.contains(never));
    }

    /** {@code smtp_dsn.py}: {@code user} submits to {@code to} with RFC 3461 parameters (swaks has none). */
    private static Command.Result dsnSubmit(String user, String to, String subject, String... dsnOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", Clients.script("smtp_dsn.py").toString(),
            String.valueOf(epost.port(1, "submission")), user, epost.demoPassword(), user, to, subject));
        command.addAll(List.of(dsnOptions));
        return Command.run(Path.of("."), Duration.ofMinutes(4), command).assertSuccess("smtp_dsn.py " + subject);
    }

    @Test
    @Order(8)
    void aRecipientOverQuotaIsRefusedAtOnceOrBouncedToTheSender() throws Exception {
        assertThat(epost.webAdmin(1, "PUT", "/quota/users/" + CAROL + "/size", "1").statusCode()).isEqualTo(204);

        // carol alone: her peer's signed refusal comes back while the client waits
        Command.Result alone = submit(BOB, BOB, CAROL, marker("full-alone"));
        assertThat(alone.exitCode()).isNotZero();
        assertThat(alone.stdout()).contains("552 5.2.2").contains("the recipient's mailbox is full");

        // carol beside alice: alice gets it, bob a DSN for carol
        String marker = marker("full-mixed");
        Command.Result mixed = swaks(epost.port(1, "submission"), "-tls", "--auth", "PLAIN", "--auth-user", BOB,
            "--auth-password", epost.demoPassword(), "--from", BOB, "--to", ALICE + "," + CAROL, "--header",
            "Subject: " + marker, "--body", "Body of " + marker);
        assertThat(mixed.exitCode()).as(mixed.stdout()).isZero();
        assertThat(epostMessage(ALICE, marker)).contains("Body of " + marker);
        String dsn = epostMessage(BOB, marker);
        assertThat(dsn).contains("Final-Recipient: rfc822; " + CAROL).contains("Status: 5.2.2")
            .contains("Action: failed");
    }

    /** The WebAdmin path of the repository whose name contains {@code name}, as WebAdmin lists it. */
    private static String repositoryPath(String name) throws Exception {
        JsonNode repositories = epost.webAdminJson(1, "/mailRepositories");
        for (JsonNode repository : repositories) {
            if (repository.path("repository").asText().contains(name)) {
                return repository.path("path").asText();
            }
        }
        throw new AssertionError("no repository " + name + " in " + repositories);
    }

    @Test
    @Order(9)
    void mailRepositoriesAreOnDiskAndSurviveARestart() throws Exception {
        // a bounce nobody can take (its sender is no user here) ends in the address-error repository
        String marker = marker("nobody-takes-it");
        Command.Result sent = swaks(epost.port(1, "smtp"), "--from", "ghost@epost.test", "--to", "nobody@outside.test",
            "--header", "Subject: " + marker, "--body", "Body of " + marker);
        assertThat(sent.exitCode()).as(sent.stdout()).isZero();
        String repository = "/mailRepositories/" + repositoryPath("address-error") + "/mails";
        Instant deadline = Instant.now().plus(MAIL_WAIT);
        JsonNode keys = epost.webAdminJson(1, repository);
        while (keys.size() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(2_000);
            keys = epost.webAdminJson(1, repository);
        }
        assertThat(keys.size()).as(keys.toString()).isEqualTo(1);
        assertThat(epost.peerDirectory(1).resolve("var/mail/address-error")).isDirectory();

        epost.down();
        epost.restart();

        JsonNode after = epost.webAdminJson(1, repository);
        assertThat(after).isEqualTo(keys);
        JsonNode mail = epost.webAdminJson(1, repository + "/" + URLEncoder.encode(keys.get(0).asText(),
            StandardCharsets.UTF_8));
        assertThat(mail.toString()).contains("ghost@epost.test");
    }
}
