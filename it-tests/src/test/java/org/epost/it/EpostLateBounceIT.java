package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No silent loss after a delegated 250 (issues #12 and #15), on a real 3-peer ring (base port 52000; alice on peer1,
 * carol on peer3): carol's mailbox is full and her peer is down when alice sends her a mail. The sending peer gets
 * 250 once the two live peers acked keeping the notification (the ring runs with degraded inserts); when carol's
 * peer comes back it refuses the notification with a signed refusal, the delegates forward it to alice's peer, and
 * alice gets a DSN (RFC 3464) in her INBOX. The waits only bound a hung server.
 */
class EpostLateBounceIT {
    private static final int PEERS = 3;
    private static final Duration MAIL_WAIT = Duration.ofMinutes(5);
    private static final String ALICE = "alice@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static Ring ring;

    @BeforeAll
    static void startRing() throws Exception {
        Path data = Ring.itDataDirectory().resolve("late-bounce-ring");
        EpostPeerIT.deleteRecursively(data);
        ring = new Ring(data, 52000);
        ring.up(PEERS);
    }

    @AfterAll
    static void stopRing() throws Exception {
        if (ring != null) {
            ring.down();
        }
    }

    @Test
    void aRecipientOverQuotaWhenHerPeerComesBackMakesTheSenderGetADsn() throws Exception {
        assertThat(ring.webAdmin(3, "PUT", "/quota/users/" + CAROL + "/size", "1").statusCode()).isEqualTo(204);
        ring.stopPeer(3);
        String marker = "late-bounce-" + UUID.randomUUID().toString().replace("-", "");

        Command.Result sent = Clients.swaksRun(ring.port(1, "smtp"), Duration.ofMinutes(5), "--from", ALICE, "--to",
            CAROL, "--header", "Subject: While you were out " + marker, "--body", "Held for you: " + marker,
            "--timeout", "180").assertSuccess("swaks");
        assertThat(sent.stdout()).contains("250 2.6.0 Message received");
        ring.up(PEERS);

        Instant deadline = Instant.now().plus(MAIL_WAIT);
        List<String> dsns = List.of();
        while (Instant.now().isBefore(deadline) && dsns.isEmpty()) {
            Thread.sleep(2_000);
            dsns = Clients.imapRead(ring.port(1, "imap"), ALICE, ring.demoPassword()).messages().stream()
                .filter(m -> m.contains(marker) && m.contains("Final-Recipient")).toList();
        }
        assertThat(dsns).as("a DSN for carol in alice's INBOX within " + MAIL_WAIT).singleElement()
            .satisfies(dsn -> assertThat(dsn).contains("Final-Recipient: rfc822; " + CAROL).contains("Status: 5.2.2")
                .contains("Action: failed"));
        assertThat(Clients.imapRead(ring.port(3, "imap"), CAROL, ring.demoPassword()).messages())
            .noneMatch(m -> m.contains(marker));
    }
}
