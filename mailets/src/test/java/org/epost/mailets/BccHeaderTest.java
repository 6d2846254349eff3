package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThat;

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
}
