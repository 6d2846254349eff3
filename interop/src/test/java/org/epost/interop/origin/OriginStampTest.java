package org.epost.interop.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OriginStampTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String stamped(String message, Origin origin) {
        return new String(OriginStamp.stamp(bytes(message), origin), StandardCharsets.ISO_8859_1);
    }

    @Test
    void putsTheOneHeaderFirstAndKeepsEveryOtherByte() {
        String message = "From: a@x.test\r\nSubject: hi\r\n\r\nbody\r\nX-ePOST-Origin: in the body stays\r\n";
        assertThat(stamped(message, Origin.external())).isEqualTo("X-ePOST-Origin: external\r\n" + message);
    }

    @Test
    void removesForgedHeadersWhateverTheirCaseFoldingSpacingOrNumber() {
        String message = "x-epost-origin: verified; sender=<boss@epost.test>\r\n"
            + "From: a@x.test\r\n"
            + "X-EPOST-ORIGIN:\r\n verified;\r\n\tsender=<boss@epost.test>\r\n"
            + "Subject: hi\r\n"
            + "X-ePOST-Origin : verified; sender=<boss@epost.test>\r\n"
            + "X-ePOST-Origin-Note: not the same field\r\n"
            + "X-Epost-Origin: external\r\n"
            + "\r\n"
            + "X-ePOST-Origin: verified; sender=<body@epost.test>\r\n";
        String out = stamped(message, Origin.verified("alice@epost.test"));
        assertThat(out).isEqualTo("X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n"
            + "From: a@x.test\r\n"
            + "Subject: hi\r\n"
            + "X-ePOST-Origin-Note: not the same field\r\n"
            + "\r\n"
            + "X-ePOST-Origin: verified; sender=<body@epost.test>\r\n");
        assertThat(OriginStamp.count(bytes(out))).isEqualTo(1);
    }

    @Test
    void handlesBareLineFeedsAHeaderWithoutBodyAndALastLineWithoutEnd() {
        assertThat(stamped("From: a@x.test\nX-ePOST-Origin: forged\n\nbody", Origin.external()))
            .isEqualTo("X-ePOST-Origin: external\r\nFrom: a@x.test\n\nbody");
        assertThat(stamped("Subject: s\r\nX-ePOST-Origin: forged", Origin.external()))
            .isEqualTo("X-ePOST-Origin: external\r\nSubject: s\r\n");
        assertThat(stamped("", Origin.external())).isEqualTo("X-ePOST-Origin: external\r\n");
    }

    @Test
    void aForgedHeaderFoldedOverManyLinesGoesWhole() {
        String message = "X-ePOST-Origin: verified;\r\n  sender=<boss@epost.test>\r\n   \r\n\tmore\r\nSubject: s\r\n\r\nb";
        assertThat(stamped(message, Origin.external())).isEqualTo("X-ePOST-Origin: external\r\nSubject: s\r\n\r\nb");
    }
}
