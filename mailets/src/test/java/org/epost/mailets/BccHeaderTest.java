package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BccHeaderTest {
    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bccFieldsAreRemovedWithTheirContinuationLinesAndEverythingElseStaysByteForByte() {
        byte[] message = ascii("From: a@epost.test\r\nBcc: hidden@epost.test,\r\n\tother@epost.test\r\nTo: b@epost.test\r\n"
            + "BCC: third@epost.test\r\nSubject: x\r\n\r\nBcc: this line is body\r\n");

        assertThat(new String(BccHeader.strip(message), StandardCharsets.US_ASCII)).isEqualTo(
            "From: a@epost.test\r\nTo: b@epost.test\r\nSubject: x\r\n\r\nBcc: this line is body\r\n");
    }

    @Test
    void aMessageWithoutBccIsReturnedAsIs() {
        byte[] message = ascii("From: a@epost.test\r\nBccx: not bcc\r\n\r\nbody");
        assertThat(BccHeader.strip(message)).isSameAs(message);
        byte[] noHeaderEnd = ascii("Bcc: x@epost.test");
        assertThat(BccHeader.strip(noHeaderEnd)).isSameAs(noHeaderEnd);
    }

    @Test
    void theStrippingStreamRemovesBccLikeStripWhateverThePiecesItIsWrittenIn() throws IOException {
        byte[] message = ("From: a@epost.test\r\nBcc: hidden@epost.test,\r\n\tother@epost.test\r\nTo: b@epost.test\r\n"
            + "Subject: x\r\n\r\nBcc: this line is body\r\n" + "MARKER-plaintext-line\r\n".repeat(13_000))
            .getBytes(StandardCharsets.US_ASCII);
        for (int piece : new int[] {1, 3, 4096, message.length}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream stripping = BccHeader.stripping(out)) {
                for (int i = 0; i < message.length; i += piece) {
                    stripping.write(message, i, Math.min(piece, message.length - i));
                }
            }
            assertThat(out.toByteArray()).as("written in pieces of " + piece).isEqualTo(BccHeader.strip(message));
        }
        byte[] noEnd = "Bcc: x@epost.test".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream stripping = BccHeader.stripping(out)) {
            stripping.write(noEnd);
        }
        assertThat(out.toByteArray()).as("no header end: the bytes as they were").isEqualTo(noEnd);
    }
}
