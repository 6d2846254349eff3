package org.epost.peer.imap.framing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.NoopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scratch disk of large IMAP literals is bounded for the whole peer, not per connection: connections share one
 * {@link LiteralScratch}; a literal that does not fit in what is left is refused at its announcement with
 * {@code NO [LIMIT]} (a LITERAL+ one read and dropped), no part of its command reaches James, the connection goes on;
 * the room comes back when the APPEND was processed, when its command was refused and when the connection closed.
 */
class LiteralScratchBudgetTest {
    /** Literals over 1 KiB are written to files; the peer may hold 200,000 bytes of them. */
    private static final FramingLimits LIMITS = DecoderHarness.limits(1024, Integer.MAX_VALUE);
    private static final long BUDGET = 200_000;

    @TempDir
    Path spool;

    private LiteralScratch scratch;

    private DecoderHarness connection() {
        if (scratch == null) {
            scratch = new LiteralScratch(spool, BUDGET);
        }
        return DecoderHarness.epost(LIMITS, scratch);
    }

    private static String message(int size) {
        return "Subject: budget\r\n\r\n" + "m".repeat(size - 19);
    }

    private static void assertLimitRefusal(DecoderHarness imap, String tag, int size) {
        StatusResponse response = imap.responses().get(0);
        assertThat(response.getServerResponseType()).isEqualTo(StatusResponse.Type.NO);
        assertThat(response.getTag().asString()).isEqualTo(tag);
        assertThat(response.getTextKey().getDefaultValue()).isEqualTo("[LIMIT] Literal of " + size
            + " octets: the server's scratch space for large literals is full now; try again later");
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    @Test
    void aSynchronizingLiteralBeyondThePeersBudgetIsRefusedLimitWithoutBeingAskedForAndTheConnectionGoesOn()
            throws IOException {
        DecoderHarness first = connection();
        DecoderHarness second = connection();

        first.read("a1 APPEND INBOX {120000}\r\n" + "x".repeat(5000));
        assertThat(first.written()).isEqualTo("+ Ok\r\n");
        second.read("b1 APPEND INBOX {100000}\r\nb2 NOOP\r\n");

        assertThat(second.written()).as("no continuation: the client never sends it").isEmpty();
        assertLimitRefusal(second, "b1", 100000);
        assertThat(second.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(second.appends()).isEmpty();
        assertThat(second.channel.isOpen()).isTrue();
        assertThat(spoolFiles()).hasSize(1);
        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 120000, 1, 1));

        // a literal that fits in what is left is taken meanwhile
        second.read("b3 APPEND INBOX {80000}\r\n");
        assertThat(second.written()).isEqualTo("+ Ok\r\n");
        assertThat(scratch.figures().usedBytes()).isEqualTo(BUDGET);
    }

    @Test
    void theRoomComesBackOnceTheAppendWasProcessed() throws IOException {
        DecoderHarness first = connection();
        DecoderHarness second = connection();
        String big = message(150000);

        first.read("a1 APPEND INBOX {150000}\r\n").read(big + "\r\n");
        AppendRequest append = first.appends().get(0);
        assertThat(DecoderHarness.content(append.getMessage())).isEqualTo(big);
        assertThat(scratch.figures().usedBytes()).as("held until James processed it").isEqualTo(150000);
        second.read("b1 APPEND INBOX {100000}\r\n");
        assertLimitRefusal(second, "b1", 100000);

        append.close();   // what James's core handler does once the APPEND is processed
        append.close();   // and given back once only

        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 0, 0, 1));
        second.read("b2 APPEND INBOX {100000}\r\n");
        assertThat(second.written()).isEqualTo("+ Ok\r\n");
    }

    @Test
    void theRoomComesBackWhenTheCommandIsRefused() throws IOException {
        DecoderHarness imap = connection();

        // James's APPEND parser refuses text after the message literal
        imap.read("a1 APPEND INBOX {150000+}\r\n" + "x".repeat(150000) + " junk\r\na2 NOOP\r\n");

        assertThat(imap.responses()).extracting(DecoderHarness::tag).containsExactly("a1");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(spoolFiles()).isEmpty();
        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 0, 0, 0));
    }

    @Test
    void theRoomComesBackWhenTheConnectionCloses() throws IOException {
        DecoderHarness first = connection();
        DecoderHarness second = connection();

        first.read("a1 APPEND INBOX {150000+}\r\n" + "x".repeat(3000));
        assertThat(scratch.figures().usedBytes()).isEqualTo(150000);
        first.channel.close();

        assertThat(spoolFiles()).isEmpty();
        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 0, 0, 0));
        second.read("b1 APPEND INBOX {190000}\r\n");
        assertThat(second.written()).isEqualTo("+ Ok\r\n");
    }

    @Test
    void theRoomComesBackWhenTheConnectionClosesBeforeJamesProcessedTheAppend() throws IOException {
        DecoderHarness imap = connection();

        imap.read("a1 APPEND INBOX {150000}\r\n").read(message(150000) + "\r\n");
        assertThat(imap.appends()).hasSize(1);
        assertThat(spoolFiles()).hasSize(1);
        // James cancels the APPEND in flight when the connection closes, and never closes the request then
        imap.channel.close();

        assertThat(spoolFiles()).isEmpty();
        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 0, 0, 0));
    }

    @Test
    void aLiteralPlusBeyondTheBudgetIsReadAndDroppedThenRefusedLimitWithNothingKept() throws IOException {
        DecoderHarness first = connection();
        DecoderHarness second = connection();
        first.read("a1 APPEND INBOX {150000}\r\n");

        second.read("b1 APPEND INBOX {100000+}\r\n" + "y".repeat(100000) + "\r\nb2 NOOP\r\n");

        assertLimitRefusal(second, "b1", 100000);
        assertThat(second.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(second.appends()).isEmpty();
        assertThat(second.channel.isOpen()).isTrue();
        assertThat(spoolFiles()).as("only the first connection's file").hasSize(1);
        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 150000, 1, 1));
    }

    @Test
    void aCommandWhoseSecondLiteralDoesNotFitGivesBackTheRoomOfItsFirst() throws IOException {
        DecoderHarness imap = connection();

        // MULTIAPPEND-like: two message literals in one command, together over the budget
        imap.read("a1 APPEND INBOX {120000+}\r\n" + "x".repeat(120000) + " {120000}\r\n");

        assertThat(imap.written()).isEmpty();
        assertLimitRefusal(imap, "a1", 120000);
        assertThat(spoolFiles()).isEmpty();
        assertThat(scratch.figures()).isEqualTo(new LiteralScratch.Figures(BUDGET, 0, 0, 1));
        imap.read("a2 NOOP\r\n");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
    }
}
