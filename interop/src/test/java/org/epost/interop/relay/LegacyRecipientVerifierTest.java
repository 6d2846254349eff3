package org.epost.interop.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.epost.interop.routes.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a scripted SMTP server on a real socket that knows one mailbox, {@code known@example.com}. */
class LegacyRecipientVerifierTest {
    private ServerSocket server;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private volatile String unknownReply = "550 5.1.1 no such user";
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T00:00:00Z"));
    private LegacyRecipientVerifier verifier;
    private Route route;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::serve, "scripted-legacy-smtp");
        accepting.setDaemon(true);
        accepting.start();
        route = Route.legacy("127.0.0.1", server.getLocalPort(), Route.Protocol.SMTP);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        verifier = new LegacyRecipientVerifier(new LegacyRelayClient(Duration.ofSeconds(30), "peer1"), clock);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aMailboxTheLegacyServerKnowsIsAcceptedAndOneItDoesNotIsRefusedWithItsReply() {
        assertThat(verifier.refusal(route, "known@example.com")).isEmpty();
        assertThat(verifier.refusal(route, "unknown@example.com")).hasValueSatisfying(reply -> {
            assertThat(reply.code()).isEqualTo(550);
            assertThat(reply.text()).contains("no such user");
        });
        // a probe sends no message and leaves nothing behind
        assertThat(commands).contains("MAIL FROM:<>", "RCPT TO:<unknown@example.com>", "RSET", "QUIT")
            .doesNotContain("DATA");
    }

    @Test
    void answersAreRememberedForTheirTimeOnly() {
        verifier.refusal(route, "unknown@example.com");
        verifier.refusal(route, "Unknown@Example.com");
        assertThat(probes()).isEqualTo(1);

        now.set(now.get().plus(LegacyRecipientVerifier.REFUSED_FOR));
        verifier.refusal(route, "unknown@example.com");
        assertThat(probes()).isEqualTo(2);

        verifier.refusal(route, "known@example.com");
        now.set(now.get().plus(LegacyRecipientVerifier.REFUSED_FOR));
        verifier.refusal(route, "known@example.com");
        assertThat(probes()).as("an acceptance lasts longer than a refusal").isEqualTo(3);
    }

    @Test
    void aTemporaryAnswerOrAnUnreachableServerRefusesNothingAndIsNotRemembered() throws IOException {
        unknownReply = "451 4.3.0 try later";
        assertThat(verifier.refusal(route, "unknown@example.com")).isEmpty();
        assertThat(verifier.remembered()).isZero();

        Route nowhere = Route.legacy("127.0.0.1", freePort(), Route.Protocol.SMTP);
        assertThat(verifier.refusal(nowhere, "unknown@example.com")).isEmpty();
        assertThat(verifier.remembered()).isZero();
    }

    private long probes() {
        return commands.stream().filter(command -> command.startsWith("RCPT")).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = client.getOutputStream();
                reply(out, "220 legacy ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line);
                    if (line.startsWith("EHLO")) {
                        reply(out, "250-legacy\r\n250 PIPELINING");
                    } else if (line.startsWith("RCPT")) {
                        reply(out, line.equalsIgnoreCase("RCPT TO:<known@example.com>") ? "250 2.1.5 ok" : unknownReply);
                    } else if (line.equals("QUIT")) {
                        reply(out, "221 bye");
                        break;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (IOException e) {
                // closed by the test, or a client gone: the next one
            }
        }
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
