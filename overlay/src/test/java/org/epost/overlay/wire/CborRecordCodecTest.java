package org.epost.overlay.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The shared record codec: versioned records, strict reading, the canonical-encoding rule, the caller's exceptions. */
class CborRecordCodecTest {

    /** A checked exception, as some callers report malformed input. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean oversized;

        Malformed(boolean oversized, String message) {
            super(message);
            this.oversized = oversized;
        }
    }

    private static final CanonicalCborReader.Failures<Malformed> FAILURES =
        (oversized, message, cause) -> new Malformed(oversized, message);

    record Sample(long number, boolean flag, String text, byte[] bytes, String optional, List<String> list) {
        byte[] encode() {
            CborRecordWriter out = CborRecordWriter.versioned(3, 6, 64).number(number).bool(flag).text(text)
                .bytes(bytes);
            out.optional(optional, out::text);
            return out.list(list, out::text).end().toBytes();
        }

        static Sample read(CborRecordReader<Malformed> in) throws Malformed {
            in.beginRecord(3, "sample");
            Sample sample = new Sample(in.number(), in.bool("flag"), in.text(16), in.bytes(8),
                in.optional(CborRecordReader::text), in.list(CborRecordReader::text, 3, "list"));
            in.endArray();
            return sample;
        }

        static Sample decode(byte[] bytes) throws Malformed {
            return CborRecordReader.decodeCanonical(bytes, "sample", FAILURES, Sample::read, Sample::encode);
        }
    }

    private final Sample sample = new Sample(-300, true, "héllo", new byte[] {1, 2}, null, List.of("a", "b"));

    @Test
    void aTextStringWithAnEncodedSurrogateIsMalformedNotAFailureToReencode() {
        // [3, -300, 1, "\uDC00" as ED B0 80 (CESU-8, not UTF-8), h'0102', [], ["a", "b"]]; found by fuzzing
        byte[] encoded = HexFormat.of().parseHex("87" + "03" + "39012b" + "01" + "63" + "edb080" + "420102" + "80"
            + "82" + "6161" + "6162");
        assertThatThrownBy(() -> Sample.decode(encoded)).isInstanceOf(Malformed.class)
            .hasMessageContaining("not well-formed UTF-8");
    }

    @Test
    void recordsStartWithTheirVersionAndAreDeterministic() throws Exception {
        byte[] encoded = sample.encode();
        // [3, -300, 1, "héllo", h'0102', [], ["a", "b"]]
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(
            "87" + "03" + "39012b" + "01" + "66" + "68c3a96c6c6f" + "420102" + "80" + "82" + "6161" + "6162");
        assertThat(new Sample(-300, true, "héllo", new byte[] {1, 2}, null, List.of("a", "b")).encode())
            .isEqualTo(encoded);
        Sample read = Sample.decode(encoded);
        assertThat(read.encode()).isEqualTo(encoded);
        assertThat(read.text()).isEqualTo("héllo");
        assertThat(read.optional()).isNull();
        Sample withOptional = new Sample(Long.MAX_VALUE, false, "", new byte[0], "o", List.of());
        assertThat(Sample.decode(withOptional.encode()).optional()).isEqualTo("o");
        assertThat(Sample.decode(withOptional.encode()).number()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> CborRecordWriter.versioned(-1, 0, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownVersionIsRefusedClearly() {
        byte[] encoded = sample.encode();
        byte[] other = encoded.clone();
        other[1] = 4;
        assertThatThrownBy(() -> Sample.decode(other)).isInstanceOf(Malformed.class)
            .hasMessageContaining("unknown sample format version 4").hasMessageContaining("reads 3");
        byte[] none = CborRecordWriter.versioned(3, 0, 8).end().toBytes();
        none[0] = (byte) 0x80;
        assertThatThrownBy(() -> Sample.decode(Arrays.copyOf(none, 1))).isInstanceOf(Malformed.class)
            .hasMessageContaining("no format version");
        byte[] textVersion = new CanonicalCborWriter(8).startArray(1).text("3").endArray().toBytes();
        assertThatThrownBy(() -> Sample.decode(textVersion)).isInstanceOf(Malformed.class);
    }

    @Test
    void truncatedTrailingAndGarbageInputIsMalformed() {
        byte[] encoded = sample.encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> Sample.decode(prefix)).as("%d bytes", length).isInstanceOf(Malformed.class);
        }
        assertThatThrownBy(() -> Sample.decode(Arrays.copyOf(encoded, encoded.length + 1)))
            .isInstanceOf(Malformed.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> Sample.decode(null)).isInstanceOf(Malformed.class);
        assertThatThrownBy(() -> Sample.decode("garbage".getBytes())).isInstanceOf(Malformed.class);
        assertThatThrownBy(() -> Sample.decode(new byte[] {(byte) 0xff})).isInstanceOf(Malformed.class);
    }

    @Test
    void boundsAreTheCallersAndReportedAsOversized() {
        Malformed longText = catchMalformed(new Sample(1, true, "x".repeat(17), new byte[0], null, List.of()));
        assertThat(longText.oversized).isTrue();
        Malformed longBytes = catchMalformed(new Sample(1, true, "", new byte[9], null, List.of()));
        assertThat(longBytes.oversized).isTrue();
        Malformed longList = catchMalformed(new Sample(1, true, "", new byte[0], null, List.of("a", "b", "c", "d")));
        assertThat(longList.oversized).isTrue();
        assertThat(longList).hasMessageContaining("more than 3");
        byte[] badBool = new CborRecordWriter(16).record(3, 6).number(1).number(2).text("").bytes(new byte[0])
            .array(0).end().array(0).end().end().toBytes();
        assertThatThrownBy(() -> Sample.decode(badBool)).isInstanceOf(Malformed.class).hasMessageContaining("0 or 1");
        byte[] twoOptionals = new CborRecordWriter(16).record(3, 6).number(1).number(1).text("").bytes(new byte[0])
            .array(2).text("a").text("b").end().array(0).end().end().toBytes();
        assertThatThrownBy(() -> Sample.decode(twoOptionals)).isInstanceOf(Malformed.class);
    }

    @Test
    void onlyTheCanonicalEncodingIsAccepted() {
        byte[] encoded = sample.encode();
        // the version as a two-byte integer
        byte[] longVersion = new byte[encoded.length + 1];
        longVersion[0] = encoded[0];
        longVersion[1] = 0x18;
        System.arraycopy(encoded, 1, longVersion, 2, encoded.length - 1);
        // an indefinite-length record
        byte[] indefinite = Arrays.copyOf(encoded, encoded.length + 1);
        indefinite[0] = (byte) 0x9f;
        indefinite[indefinite.length - 1] = (byte) 0xff;
        for (byte[] bytes : List.of(longVersion, indefinite)) {
            assertThatThrownBy(() -> Sample.decode(bytes)).isInstanceOf(Malformed.class)
                .hasMessageContaining("sample is not in its canonical encoding");
        }
    }

    @Test
    void aValuesOwnValidationIsReportedAsMalformed() {
        byte[] encoded = new CborRecordWriter(8).record(1, 1).number(-1).end().toBytes();
        assertThatThrownBy(() -> CborRecordReader.decodeCanonical(encoded, "positive", FAILURES, in -> {
            in.beginRecord(1, "positive");
            long value = in.number();
            in.endArray();
            if (value < 0) {
                throw new IllegalArgumentException("negative");
            }
            return value;
        }, value -> new byte[0])).isInstanceOf(Malformed.class).hasMessage("malformed positive: negative");
        // an unchecked failure type passes through unwrapped
        CanonicalCborReader.Failures<IllegalStateException> unchecked =
            (oversized, message, cause) -> new IllegalStateException(message);
        assertThatThrownBy(() -> CborRecordReader.decodeCanonical(encoded, "positive", unchecked,
            in -> in.nonNegative("value"), value -> new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    /** A union {@code [version, tag, value]} whose two variants are versioned separately: tag 1 at 2, tag 2 at 5. */
    private static long readUnion(byte[] bytes) throws Malformed {
        return CborRecordReader.decodeCanonical(bytes, "union", FAILURES, in -> {
            long version = in.beginRecordOfAnyVersion("union");
            long tag = in.number();
            in.requireVersion(version, tag == 1 ? 2 : 5, "variant " + tag);
            long value = in.number();
            in.endArray();
            return value;
        }, value -> bytes);
    }

    @Test
    void aUnionChecksEachVariantsVersionOnceItsTagIsRead() throws Exception {
        assertThat(readUnion(CborRecordWriter.versioned(2, 2, 8).number(1).number(42).end().toBytes())).isEqualTo(42);
        assertThat(readUnion(CborRecordWriter.versioned(5, 2, 8).number(2).number(43).end().toBytes())).isEqualTo(43);
        byte[] variant1AtVersion5 = CborRecordWriter.versioned(5, 2, 8).number(1).number(42).end().toBytes();
        assertThatThrownBy(() -> readUnion(variant1AtVersion5)).isInstanceOf(Malformed.class)
            .hasMessageContaining("unknown variant 1 format version 5 (this version reads 2)");
        byte[] empty = new CborRecordWriter(8).array(0).end().toBytes();
        assertThatThrownBy(() -> readUnion(empty)).isInstanceOf(Malformed.class)
            .hasMessageContaining("empty union (no format version)");
    }

    private static Malformed catchMalformed(Sample sample) {
        try {
            Sample.decode(sample.encode());
        } catch (Malformed e) {
            return e;
        }
        throw new AssertionError("accepted " + sample);
    }
}
