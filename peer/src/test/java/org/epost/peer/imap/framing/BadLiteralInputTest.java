package org.epost.peer.imap.framing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.message.request.NoopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage never hangs the connection nor fills the peer's memory: a command that can be refused is answered with a
 * tagged BAD and the next command is read as usual; where the end of what the client sends cannot be known (a
 * non-synchronizing literal that is refused, a size no literal can have), the client gets a tagged BAD and the
 * connection is closed.
 */
class BadLiteralInputTest {
    private static final int MAX_LITERAL = 4096;

    @TempDir
    Path spool;

    private DecoderHarness epost() {
        return DecoderHarness.epost(DecoderHarness.limits(1024, MAX_LITERAL), spool);
    }

    @Test
    void aSynchronizingLiteralOverTheLimitIsRefusedTooBigWithoutAskingForItAndTheConnectionGoesOn() {
        DecoderHarness imap = epost();

        imap.read("a1 APPEND INBOX {4097}\r\na2 NOOP\r\n");

        assertThat(imap.written()).isEmpty();
        StatusResponse response = (StatusResponse) imap.decoded.get(0);
        assertThat(response.getServerResponseType()).isEqualTo(StatusResponse.Type.NO);
        assertThat(response.getTag().asString()).isEqualTo("a1");
        assertThat(response.getTextKey().getDefaultValue())
            .isEqualTo("[TOOBIG] Literal of 4097 octets exceeds the limit of 4096 octets");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(imap.channel.isOpen()).isTrue();
    }

    @Test
    void aNonSynchronizingLiteralOverTheLimitClosesTheConnectionAfterATaggedBad() {
        DecoderHarness imap = epost();

        imap.read("a0 NOOP\r\na1 APPEND INBOX {4097+}\r\n" + "x".repeat(4097) + "\r\na2 NOOP\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a0");
        assertThat(imap.written()).isEqualTo("a1 BAD Literal of 4097 octets exceeds the limit of 4096 octets\r\n");
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void literalSizesNoIntCanHoldAreRefused() {
        DecoderHarness plus = epost();
        plus.read("a1 APPEND INBOX {2147483648+}\r\nxyz");
        assertThat(plus.written()).startsWith("a1 BAD Literal size is not a number");
        assertThat(plus.channel.isOpen()).isFalse();

        DecoderHarness manyDigits = epost();
        manyDigits.read("a1 APPEND INBOX {" + "9".repeat(40) + "+}\r\n");
        assertThat(manyDigits.written()).startsWith("a1 BAD Literal size is not a number");
        assertThat(manyDigits.channel.isOpen()).isFalse();

        // A synchronizing one was not sent yet: refusing it is enough.
        DecoderHarness synchronizing = epost();
        synchronizing.read("a1 APPEND INBOX {99999999999}\r\na2 NOOP\r\n");
        assertBad(synchronizing, 0, "a1", "Literal size is not a number of at most 10 digits up to 2147483647");
        assertThat(synchronizing.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(synchronizing.channel.isOpen()).isTrue();
    }

    @Test
    void negativeEmptyOrLetteredSizesAreNoLiteralsAndJamesAnswersThemBad() {
        DecoderHarness imap = epost();

        imap.read("a1 APPEND INBOX {-5+}\r\na2 APPEND INBOX {}\r\na3 APPEND INBOX {5x}\r\na4 NOOP\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3", "a4");
        assertThat(imap.responses()).extracting(StatusResponse::getServerResponseType)
            .containsOnly(StatusResponse.Type.BAD).hasSize(3);
        assertThat(imap.written()).isEmpty();
    }

    @Test
    void aLineOverTheLimitIsRefusedAndTheNextCommandIsRead() {
        DecoderHarness imap = epost();

        imap.read("a1 NOOP " + "x".repeat(40000)).read("x".repeat(40000) + "\r\na2 NOOP\r\n");

        assertBad(imap, 0, "a1", "Command line longer than 65536 octets");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
    }

    @Test
    void aRefusedCommandsLiteralsAreSkippedNotReadAsCommands() {
        DecoderHarness imap = epost();

        // The line is too long, and it announces a LITERAL+ literal whose octets are on their way: they are skipped.
        imap.read("a1 SEARCH TEXT " + "y".repeat(70000) + " {12+}\r\na9 LOGOUT\r\n\r\na2 NOOP\r\n");
        // A synchronizing literal of a refused command is refused at once instead of being asked for.
        imap.read("a3 SEARCH TEXT " + "y".repeat(70000) + " {12}\r\na4 NOOP\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3", "a4");
        assertBad(imap, 0, "a1", "Command line longer than 65536 octets");
        assertBad(imap, 2, "a3", "Command line longer than 65536 octets");
        assertThat(imap.written()).isEmpty();
    }

    @Test
    void aCommandOfEndlessSmallLiteralsIsBoundedAndRefused() {
        DecoderHarness imap = epost();
        StringBuilder search = new StringBuilder("a1 SEARCH");
        for (int i = 0; i < 40000; i++) {
            search.append(" TEXT {1+}\r\nz");
        }

        imap.read(search + "\r\na2 NOOP\r\n");

        assertBad(imap, 0, "a1", "Literals of one command exceed 1024 octets");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
    }

    @Test
    void aCommandOfEndlessTextIsBoundedAndRefused() {
        DecoderHarness imap = DecoderHarness.epost(DecoderHarness.limits(10 * 1024 * 1024, MAX_LITERAL), spool);
        StringBuilder search = new StringBuilder("a1 SEARCH");
        for (int i = 0; i < 40000; i++) {
            search.append(" TEXT {1+}\r\nz");
        }

        imap.read(search + "\r\na2 NOOP\r\n");

        assertBad(imap, 0, "a1", "Command text longer than 262144 octets");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
    }

    @Test
    void textAfterAnAppendLiteralIsJamessBadAndNothingIsLeftOnDisk() throws IOException {
        DecoderHarness imap = epost();

        imap.read("a1 APPEND INBOX {3000+}\r\n" + "m".repeat(3000) + "trailing\r\na2 NOOP\r\n");
        assertThat(imap.decoded).hasSize(2);

        assertThat(imap.responses()).extracting(DecoderHarness::tag).containsExactly("a1");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void octetsPipelinedAfterStartTlsCloseTheConnection() {
        DecoderHarness imap = epost();
        imap.session.startDetectingCommandInjection();

        imap.read("a1 STARTTLS\r\na2 LOGIN mallory secret\r\n");

        assertThat(imap.decoded).isEmpty();
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void octetsArrivingBeforeTheTlsHandshakeCloseTheConnection() {
        DecoderHarness imap = epost();
        imap.session.startDetectingCommandInjection();

        imap.read("a1 STARTTLS\r\n");
        assertThat(imap.decoded).hasSize(1);
        imap.read("a2 LOGIN mallory secret\r\n");

        assertThat(imap.decoded).hasSize(1);
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void anUntaggedGarbageLineOverTheLimitGetsAnUntaggedBad() {
        DecoderHarness imap = epost();

        imap.read("\u0001".repeat(70000) + "\r\na2 NOOP\r\n");

        assertThat(imap.responses().get(0).getTag()).isNull();
        assertThat(imap.responses().get(0).getServerResponseType()).isEqualTo(StatusResponse.Type.BAD);
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
    }

    private static void assertBad(DecoderHarness imap, int index, String tag, String text) {
        StatusResponse response = (StatusResponse) imap.decoded.get(index);
        assertThat(response.getServerResponseType()).isEqualTo(StatusResponse.Type.BAD);
        assertThat(response.getTag().asString()).isEqualTo(tag);
        assertThat(response.getTextKey().getDefaultValue()).isEqualTo(text);
    }
}
