package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.epost.overlay.past.block.BlockFixtures.NOW;
import static org.epost.overlay.past.block.BlockFixtures.SKEW;
import static org.epost.overlay.past.block.BlockFixtures.concat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.ManualClock;
import org.epost.overlay.wire.CanonicalCborWriter;
import org.junit.jupiter.api.Test;

class ContentHashBlockTest {
    private final BlockVerifier verifier =
            new BlockVerifier(BlockFixtures.ed25519().getPublic(), new ManualClock(NOW), BlockLimits.DEFAULT, SKEW);
    private final byte[] content = "an encrypted MIME part".getBytes(StandardCharsets.UTF_8);
    private final ContentHashBlock block = ContentHashBlock.of(content);

    @Test
    void handleIsTheHashOfTheContent() {
        assertThat(block.handle()).isEqualTo(Id.hash(content));
        assertThat(block.key()).isEqualTo(new BlockKey(Id.hash(content), BlockKind.CONTENT_HASH));
    }

    @Test
    void roundTripsThroughItsEncoding() {
        Verification verification = verifier.verify(block.encoded(), block.handle());

        assertThat(verification.isValid()).isTrue();
        ContentHashBlock decoded = verification.blockAs(ContentHashBlock.class).orElseThrow();
        assertThat(decoded.content()).isEqualTo(content);
        assertThat(decoded.encoded()).isEqualTo(block.encoded());
    }

    @Test
    void encodingIsTheDocumentedLayout() {
        // [1, 1, h'...'] : array(3), format version 1, kind 1, byte string of 22 bytes
        byte[] expectedHeader = {(byte) 0x83, 0x01, 0x01, 0x56};
        assertThat(block.encoded()).isEqualTo(concat(expectedHeader, content));
        assertThat(block.encoded()).isEqualTo(BlockFixtures.layout(BlockKind.CONTENT_HASH, 1, 1).bytes(content).end()
                .toBytes());
        assertThat(BlockKind.CONTENT_HASH.formatVersion()).isEqualTo(ContentHashBlock.FORMAT_VERSION).isEqualTo(1);
    }

    @Test
    void anyOtherFormatVersionIsRejectedAsMalformed() {
        for (int version = 0; version <= 23; version++) {
            if (version == ContentHashBlock.FORMAT_VERSION) {
                continue;
            }
            Verification verification = verifier.verify(BlockFixtures.withFormatVersion(block.encoded(), version),
                    block.handle());

            assertRejected(verification, RejectionReason.MALFORMED);
            assertThat(verification.detail()).contains("unknown content-hash block format version " + version)
                    .contains("reads 1");
        }
        byte[] largeVersion = BlockFixtures.layout(BlockKind.CONTENT_HASH, 1_000_000, 1).bytes(content).end()
                .toBytes();
        assertRejected(verifier.verify(largeVersion, block.handle()), RejectionReason.MALFORMED);
        byte[] textVersion = new CanonicalCborWriter(64).startArray(3).text("1").number(1).bytes(content).endArray()
                .toBytes();
        assertRejected(verifier.verify(textVersion, block.handle()), RejectionReason.MALFORMED);
        byte[] noVersion = new CanonicalCborWriter(64).startArray(2).number(1).bytes(content).endArray().toBytes();
        assertRejected(verifier.verify(noVersion, block.handle()), RejectionReason.MALFORMED);
    }

    @Test
    void flippedContentByteIsRejected() {
        byte[] tampered = block.encoded();
        tampered[tampered.length - 1] ^= 0x01;

        assertRejected(verifier.verify(tampered, block.handle()), RejectionReason.CONTENT_HASH_MISMATCH);
    }

    @Test
    void validBlockUnderAnotherHandleIsRejected() {
        Id other = Id.hash("something else");

        assertRejected(verifier.verify(block.encoded(), other), RejectionReason.CONTENT_HASH_MISMATCH);
    }

    @Test
    void askingForAnotherKindIsRejected() {
        BlockKey wanted = new BlockKey(block.handle(), BlockKind.PUBLIC_KEY);

        assertRejected(verifier.verify(block.encoded(), wanted), RejectionReason.UNEXPECTED_KIND);
    }

    @Test
    void contentOfExactlyTheLimitIsAccepted() {
        BlockLimits limits = BlockLimits.withMaxContentBytes(1024);
        BlockVerifier small = new BlockVerifier(BlockFixtures.ed25519().getPublic(), new ManualClock(NOW), limits, 0);
        ContentHashBlock full = ContentHashBlock.of(new byte[1024], limits);

        assertThat(small.verify(full.encoded(), full.handle()).isValid()).isTrue();
    }

    @Test
    void oversizedContentIsRejected() {
        byte[] tooLarge = new byte[BlockLimits.DEFAULT_MAX_CONTENT_BYTES + 1];
        ContentHashBlock built = ContentHashBlock.of(tooLarge, BlockLimits.withMaxContentBytes(2 << 20));

        assertRejected(verifier.verify(built.encoded(), built.handle()), RejectionReason.OVERSIZED);
        assertThatThrownBy(() -> ContentHashBlock.of(tooLarge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeInputIsRejectedBeforeParsing() {
        byte[] huge = new byte[BlockLimits.DEFAULT.maxEncodedBytes() + 1];

        assertRejected(verifier.verify(huge, block.handle()), RejectionReason.OVERSIZED);
    }

    @Test
    void truncatedEncodingIsRejected() {
        byte[] encoded = block.encoded();
        for (int length = 0; length < encoded.length; length++) {
            assertRejected(verifier.verify(Arrays.copyOf(encoded, length), block.handle()),
                    RejectionReason.MALFORMED);
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] extended = concat(block.encoded(), new byte[] {0x00});

        assertRejected(verifier.verify(extended, block.handle()), RejectionReason.MALFORMED);
    }

    @Test
    void nonCanonicalEncodingOfTheSameFieldsIsRejected() {
        // Same array, but with an indefinite length (0x9f ... 0xff) instead of the canonical definite length.
        byte[] canonical = block.encoded();
        byte[] indefinite = concat(concat(new byte[] {(byte) 0x9f}, Arrays.copyOfRange(canonical, 1,
                canonical.length)), new byte[] {(byte) 0xff});
        // Same array, but the format version 1 written as a two-byte integer (0x18 0x01).
        byte[] longVersion = concat(new byte[] {(byte) 0x83, 0x18, 0x01},
                Arrays.copyOfRange(canonical, 2, canonical.length));
        // Same array, but the kind tag 1 written as a two-byte integer.
        byte[] longTag = concat(new byte[] {(byte) 0x83, 0x01, 0x18, 0x01},
                Arrays.copyOfRange(canonical, 3, canonical.length));

        assertRejected(verifier.verify(indefinite, block.handle()), RejectionReason.MALFORMED);
        assertRejected(verifier.verify(longVersion, block.handle()), RejectionReason.MALFORMED);
        assertRejected(verifier.verify(longTag, block.handle()), RejectionReason.MALFORMED);
    }

    @Test
    void unknownKindIsRejected() {
        byte[] unknown = block.encoded();
        unknown[2] = 0x07;

        assertRejected(verifier.verify(unknown, block.handle()), RejectionReason.MALFORMED);
    }

    @Test
    void garbageIsRejected() {
        byte[] text = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertRejected(verifier.verify(text, block.handle()), RejectionReason.MALFORMED);
        assertRejected(verifier.verify(new byte[0], block.handle()), RejectionReason.MALFORMED);
        assertRejected(verifier.verify(new byte[] {(byte) 0xff}, block.handle()), RejectionReason.MALFORMED);
    }

    static void assertRejected(Verification verification, RejectionReason reason) {
        assertThat(verification.isValid()).as(verification.toString()).isFalse();
        assertThat(verification.reason()).as(verification.detail()).contains(reason);
    }
}
