package org.epost.spam.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.epost.spam.policy.Sender;
import org.junit.jupiter.api.Test;

/** The sender of a stored message: the verified origin the home peer wrote, else the From address. */
class MessageSendersTest {
    private static byte[] message(String header) {
        return (header + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aVerifiedOriginNamesTheSender() {
        assertThat(MessageSenders.of(message("X-ePOST-Origin: verified; sender=<Alice@epost.test>\r\n"
            + "From: Someone Else <other@example.org>\r\n"))).contains(Sender.verified("alice@epost.test"));
    }

    @Test
    void externalMailIsKnownByItsFromAddress() {
        assertThat(MessageSenders.of(message("X-ePOST-Origin: external\r\nFrom: \"Spam Co\" <Offers@Spam.example>\r\n")))
            .contains(Sender.external("offers@spam.example"));
        assertThat(MessageSenders.of(message("From: plain@example.org\r\n")))
            .contains(Sender.external("plain@example.org"));
    }

    @Test
    void twoOriginsOrAMalformedOneAreNotTrusted() {
        assertThat(MessageSenders.of(message("X-ePOST-Origin: verified; sender=<a@epost.test>\r\n"
            + "X-ePOST-Origin: verified; sender=<b@epost.test>\r\nFrom: c@example.org\r\n")))
            .contains(Sender.external("c@example.org"));
        assertThat(MessageSenders.of(message("X-ePOST-Origin: verified; sender=<not-an-address>\r\nFrom: d@example.org\r\n")))
            .contains(Sender.external("d@example.org"));
    }

    @Test
    void aMessageWithoutSenderHasNone() {
        assertThat(MessageSenders.of(message(""))).isEmpty();
        assertThat(MessageSenders.of(message("From: undisclosed-recipients:;\r\n"))).isEmpty();
        assertThat(MessageSenders.of(new byte[0])).isEmpty();
    }
}
