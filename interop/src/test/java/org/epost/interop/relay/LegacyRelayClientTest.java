package org.epost.interop.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LegacyRelayClientTest {

    @Test
    void dataIsDotStuffedWithCrlfLineEndsAndAFinalLineEnd() {
        String message = "Subject: x\r\n\r\n.hidden\n..two\rlast line";

        String stuffed = new String(LegacyRelayClient.dotStuffed(message.getBytes(StandardCharsets.US_ASCII)),
            StandardCharsets.US_ASCII);

        assertThat(stuffed).isEqualTo("Subject: x\r\n\r\n..hidden\r\n...two\r\nlast line\r\n");
        assertThat(new String(LegacyRelayClient.dotStuffed(".\r\n".getBytes(StandardCharsets.US_ASCII)),
            StandardCharsets.US_ASCII)).isEqualTo("..\r\n");
    }

    @Test
    void multiLineRepliesAreJoinedAndGarbageIsRefused() throws Exception {
        RelayReply reply = LegacyRelayClient.read(stream("250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n"));
        assertThat(reply).isEqualTo(new RelayReply(250, "mx.example.com PIPELINING 8BITMIME"));
        assertThat(LegacyRelayClient.read(stream("550 5.1.1 <x@y> unknown\r\n")).isPermanentFailure()).isTrue();
        assertThat(LegacyRelayClient.read(stream("451 4.3.0 later\n")).isPositive()).isFalse();

        assertThatThrownBy(() -> LegacyRelayClient.read(stream("hello\r\n"))).isInstanceOf(IOException.class)
            .hasMessageContaining("malformed reply");
        assertThatThrownBy(() -> LegacyRelayClient.read(stream("250-cut"))).isInstanceOf(IOException.class)
            .hasMessageContaining("closed the connection");
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
