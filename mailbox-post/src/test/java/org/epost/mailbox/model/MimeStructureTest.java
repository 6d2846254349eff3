package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.apache.james.mailbox.store.MimeDescriptorImpl;
import org.junit.jupiter.api.Test;

class MimeStructureTest {
    private static final String MESSAGE = "From: a@epost.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\npreamble\r\n"
        + "--x\r\nContent-Type: text/plain; format=flowed; charset=\"utf-8\"\r\nContent-Language: en, de\r\n"
        + "Content-ID: <t@epost.test>\r\nContent-Description: the text\r\n\r\nline one\r\nline two\r\n"
        + "--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment; filename=\"b.bin\"; size=4\r\nContent-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n"
        + "Content-Location: http://epost.test/b\r\n\r\nAAECAw==\r\n"
        + "--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@epost.test\r\nSubject: inner\r\n\r\ninner body\r\n"
        + "--x--\r\n";

    private static MimeDescriptor james() throws Exception {
        return MimeDescriptorImpl.build(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void answersEverythingJamesDescribedAndSurvivesItsEncoding() throws Exception {
        MimeDescriptor james = james();
        MimeStructure decoded = MimeStructure.decode(MimeStructure.of(james).encode());

        assertSame(decoded, james);
        assertThat(decoded.encode()).isEqualTo(MimeStructure.of(james).encode());
        assertThat(decoded.size()).isEqualTo(james.size());
        assertThat(decoded.getInputStream().readAllBytes()).isEqualTo(james.getInputStream().readAllBytes());
    }

    @Test
    void onlyItsCanonicalEncodingWithinItsBoundsDecodes() throws Exception {
        byte[] encoded = MimeStructure.of(james()).encode();
        MimeStructure deep = new MimeStructure(List.of(), "message", "rfc822", null, null, null, null, null, null,
            null, null, Map.of(), 0, 0, List.of(), null);
        for (int i = 0; i < MimeStructure.MAX_DEPTH + 2; i++) {
            deep = new MimeStructure(List.of(new Header("Subject", "level " + i)), "message", "rfc822", null, null,
                null, null, null, null, null, null, Map.of(), 1, 10, List.of(), deep);
        }
        byte[] tooDeep = deep.encode();

        for (byte[] bad : List.of(Arrays.copyOf(encoded, encoded.length + 1), Arrays.copyOf(encoded, encoded.length - 1),
                tooDeep, "garbage".getBytes(StandardCharsets.US_ASCII), new byte[0])) {
            assertThat(catchThrowable(() -> MimeStructure.decode(bad))).isInstanceOf(RecordFormatException.class);
        }
    }

    /** Every value of {@code actual} and of its parts and embedded message equals the one of {@code expected}. */
    private static void assertSame(MimeDescriptor actual, MimeDescriptor expected) throws Exception {
        assertThat(actual.getMimeType()).isEqualTo(expected.getMimeType());
        assertThat(actual.getMimeSubType()).isEqualTo(expected.getMimeSubType());
        assertThat(actual.getContentID()).isEqualTo(expected.getContentID());
        assertThat(actual.getContentDescription()).isEqualTo(expected.getContentDescription());
        assertThat(actual.getContentLocation()).isEqualTo(expected.getContentLocation());
        assertThat(actual.getContentMD5()).isEqualTo(expected.getContentMD5());
        assertThat(actual.getTransferContentEncoding()).isEqualTo(expected.getTransferContentEncoding());
        assertThat(actual.getLanguages()).isEqualTo(expected.getLanguages());
        assertThat(actual.getDisposition()).isEqualTo(expected.getDisposition());
        assertThat(actual.getDispositionParams()).containsExactlyEntriesOf(expected.getDispositionParams());
        assertThat(actual.contentTypeParameters()).containsExactlyEntriesOf(expected.contentTypeParameters());
        assertThat(actual.getLines()).isEqualTo(expected.getLines());
        assertThat(actual.getBodyOctets()).isEqualTo(expected.getBodyOctets());
        List<String> actualHeaders = new java.util.ArrayList<>();
        actual.headers().forEachRemaining(h -> actualHeaders.add(h.getName() + ": " + h.getValue()));
        List<String> expectedHeaders = new java.util.ArrayList<>();
        expected.headers().forEachRemaining(h -> expectedHeaders.add(h.getName() + ": " + h.getValue()));
        assertThat(actualHeaders).isEqualTo(expectedHeaders);
        var actualParts = actual.parts();
        var expectedParts = expected.parts();
        while (expectedParts.hasNext()) {
            assertThat(actualParts.hasNext()).isTrue();
            assertSame(actualParts.next(), expectedParts.next());
        }
        assertThat(actualParts.hasNext()).isFalse();
        if (expected.embeddedMessage() == null) {
            assertThat(actual.embeddedMessage()).isNull();
        } else {
            assertSame(actual.embeddedMessage(), expected.embeddedMessage());
        }
    }
}
