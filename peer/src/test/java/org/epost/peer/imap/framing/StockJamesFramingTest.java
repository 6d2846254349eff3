package org.epost.peer.imap.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.peer.imap.framing.DecoderHarness.appendPlus;

import org.junit.jupiter.api.Test;

/**
 * Why ePOST replaces James 3.8.1's IMAP request decoder: the same reads as {@link PipelinedLiteralsTest}'s first
 * case, through James's own line framer and {@code ImapRequestFrameDecoder}. If a James upgrade makes this test
 * fail, James frames pipelined literals itself and the replacement can be reconsidered.
 */
class StockJamesFramingTest {
    @Test
    void jamesLosesAppendsPipelinedAfterALiteralPlusLiteralInOneRead() {
        DecoderHarness james = DecoderHarness.stockJames();

        james.read(appendPlus("a1", "INBOX", "Subject: one\r\n\r\nfirst\r\n")
            + appendPlus("a2", "INBOX", "Subject: two\r\n\r\nsecond\r\n")
            + appendPlus("a3", "INBOX", "Subject: three\r\n\r\nthird\r\n"));

        // The first APPEND's message text is read as commands ("Subject: one" answered BAD Unknown command) and
        // the message is lost.
        assertThat(james.responses()).extracting(DecoderHarness::tag).contains("Subject:");
        assertThat(james.appends()).extracting(append -> DecoderHarness.content(append.getMessage()))
            .doesNotContain("Subject: one\r\n\r\nfirst\r\n");
    }
}
