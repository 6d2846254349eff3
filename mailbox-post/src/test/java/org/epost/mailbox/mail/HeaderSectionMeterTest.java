package org.epost.mailbox.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HeaderSectionMeterTest {
    private static boolean over(String message, long max) throws IOException {
        return HeaderSectionMeter.over(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), max);
    }

    @Test
    void theEmptyLineCountsAndTheLimitIsInclusive() throws Exception {
        String message = "A: 1\r\n folded\r\nB: 2\r\n\r\nbody that is much longer than the header";
        int header = "A: 1\r\n folded\r\nB: 2\r\n\r\n".length();
        assertThat(over(message, header)).isFalse();
        assertThat(over(message, header - 1)).isTrue();
    }

    @Test
    void bareLineFeedsEndTheSectionAsTheRecipientsReaderDoes() throws Exception {
        assertThat(over("A: 1\nB: x\r\n\nbody body body body", "A: 1\nB: x\r\n\n".length())).isFalse();
        assertThat(over("\r\nbody body body", 2)).isFalse();
    }

    @Test
    void aMessageWithoutAnEmptyLineIsAllHeader() throws Exception {
        assertThat(over("A: 1\r\nB: 2", 10)).isFalse();
        assertThat(over("A: 1\r\nB: 2", 9)).isTrue();
    }

    /** The bytes {@link HeaderSectionMeter#over} read of {@code message} and its answer. */
    private static long[] readOf(byte[] message) throws IOException {
        long[] read = new long[2];
        InputStream counting = new ByteArrayInputStream(message) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };
        read[1] = HeaderSectionMeter.over(counting, HeaderSectionMeter.MAX_HEADER_BYTES) ? 1 : 0;
        return read;
    }

    @Test
    void readsNoFurtherThanTheDecisionNeeds() throws Exception {
        byte[] header = "Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] message = java.util.Arrays.copyOf(header, header.length + (4 << 20));
        assertThat(readOf(message)).containsExactly(message.length > 8192 ? 8192 : message.length, 0);

        byte[] longHeader = ("X-Long: " + "a".repeat(300 * 1024) + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
        long[] refused = readOf(longHeader);
        assertThat(refused[1]).isEqualTo(1);
        assertThat(refused[0]).isLessThanOrEqualTo(HeaderSectionMeter.MAX_HEADER_BYTES + 8192);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new HeaderSectionMeter(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("must be positive");
    }
}
