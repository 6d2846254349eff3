package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The MIME cutter on fuzzed messages (in its package: it is package-private): whatever the bytes, the ranges cover the
 * message exactly and in order, are non-empty, no two inline ranges touch, and every leaf range is at least the leaf
 * threshold. These are what make any message round-trip through the store.
 */
class MimeCutterFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void cut(FuzzedDataProvider data) {
        int threshold = data.consumeInt(1, 256);
        byte[] message = data.consumeRemainingAsBytes();
        check(new MimeCutter(threshold).cut(message), message.length, threshold);
    }

    static void check(List<MimeCutter.Range> ranges, int length, int threshold) {
        int cursor = 0;
        MimeCutter.Range previous = null;
        for (MimeCutter.Range range : ranges) {
            assertThat(range.start()).isEqualTo(cursor);
            assertThat(range.length()).isPositive();
            if (range.leaf()) {
                assertThat(range.length()).isGreaterThanOrEqualTo(threshold);
            } else if (previous != null) {
                assertThat(previous.leaf()).as("two inline ranges touch").isTrue();
            }
            previous = range;
            cursor = range.end();
        }
        assertThat(cursor).isEqualTo(length);
    }

    @Test
    void aMultipartMessageIsCutAtItsLeaves() {
        String message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" + "x".repeat(100)
            + "\r\n--b--\r\n";
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        List<MimeCutter.Range> ranges = new MimeCutter(50).cut(bytes);
        check(ranges, bytes.length, 50);
        assertThat(ranges).filteredOn(MimeCutter.Range::leaf).singleElement()
            .satisfies(leaf -> assertThat(leaf.length()).isEqualTo(100));
    }
}
