package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.past.block.BlockFixtures.NOW;
import static org.epost.overlay.past.block.BlockFixtures.SKEW;
import static org.epost.overlay.past.block.BlockFixtures.flipBitIn;
import static org.epost.overlay.past.block.ContentHashBlockTest.assertRejected;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.ManualClock;
import org.junit.jupiter.api.Test;

class PublicKeyBlockTest {
    private final BlockVerifier verifier =
            new BlockVerifier(BlockFixtures.ed25519().getPublic(), new ManualClock(NOW), BlockLimits.DEFAULT, SKEW);
    private final KeyPair owner = BlockFixtures.ed25519();
    private final byte[] payload = "INBOX head -> record 42".getBytes(StandardCharsets.UTF_8);
    private final PublicKeyBlock block = PublicKeyBlock.sign(owner, "log:INBOX", 7, payload);

    @Test
    void handleIsTheHashOfKeyAndLabel() {
        byte[] preimage = BlockFixtures.concat(owner.getPublic().getEncoded(),
                "log:INBOX".getBytes(StandardCharsets.UTF_8));

        assertThat(block.handle()).isEqualTo(Id.hash(preimage));
        assertThat(PublicKeyBlock.handleFor(owner.getPublic(), "log:INBOX")).isEqualTo(block.handle());
        assertThat(PublicKeyBlock.handleFor(owner.getPublic(), "identity")).isNotEqualTo(block.handle());
    }

    @Test
    void roundTripsThroughItsEncoding() {
        Verification verification = verifier.verify(block.encoded(), block.key());

        PublicKeyBlock decoded = verification.blockAs(PublicKeyBlock.class).orElseThrow();
        assertThat(decoded.label()).isEqualTo("log:INBOX");
        assertThat(decoded.version()).isEqualTo(7);
        assertThat(decoded.payload()).isEqualTo(payload);
        assertThat(decoded.publicKey().getEncoded()).isEqualTo(owner.getPublic().getEncoded());
        assertThat(decoded.encoded()).isEqualTo(block.encoded());
    }

    @Test
    void encodingIsTheDocumentedLayout() {
        byte[] key = owner.getPublic().getEncoded();

        assertThat(block.encoded()).isEqualTo(BlockFixtures.layout(BlockKind.PUBLIC_KEY, 1, 5).bytes(key)
                .text("log:INBOX").number(7).bytes(payload).bytes(signatureOf(block)).end().toBytes());
        assertThat(block.encoded()[0]).as("an array of 7 elements").isEqualTo((byte) 0x87);
        assertThat(BlockKind.PUBLIC_KEY.formatVersion()).isEqualTo(PublicKeyBlock.FORMAT_VERSION).isEqualTo(1);
    }

    @Test
    void anyOtherFormatVersionIsRejectedAsMalformed() {
        for (int version = 0; version <= 23; version++) {
            if (version == PublicKeyBlock.FORMAT_VERSION) {
                continue;
            }
            Verification verification = verifier.verify(BlockFixtures.withFormatVersion(block.encoded(), version),
                    block.key());

            assertRejected(verification, RejectionReason.MALFORMED);
            assertThat(verification.detail()).contains("unknown public-key block format version " + version);
        }
    }

    @Test
    void theSignatureCoversTheFormatVersion() {
        Id handle = block.handle();
        byte[] signedForVersion2 = Ed25519.sign(owner.getPrivate(),
                PublicKeyBlock.signedMessage(2, handle, "log:INBOX", 7, payload));
        byte[] signedForVersion1 = Ed25519.sign(owner.getPrivate(),
                PublicKeyBlock.signedMessage(1, handle, "log:INBOX", 7, payload));

        // A signature made for another format version does not verify in a version-1 block ...
        byte[] relabelled = BlockFixtures.layout(BlockKind.PUBLIC_KEY, 1, 5).bytes(owner.getPublic().getEncoded())
                .text("log:INBOX").number(7).bytes(payload).bytes(signedForVersion2).end().toBytes();
        assertRejected(verifier.verify(relabelled, block.key()), RejectionReason.BAD_SIGNATURE);
        // ... while the same block signed for version 1 does.
        byte[] genuine = BlockFixtures.layout(BlockKind.PUBLIC_KEY, 1, 5).bytes(owner.getPublic().getEncoded())
                .text("log:INBOX").number(7).bytes(payload).bytes(signedForVersion1).end().toBytes();
        assertThat(verifier.verify(genuine, block.key()).isValid()).isTrue();
        // The signed record starts with the format version.
        assertThat(PublicKeyBlock.signedMessage(1, handle, "log:INBOX", 7, payload))
                .startsWith((byte) 0x86, (byte) 0x01);
        assertThat(Ed25519.verify(owner.getPublic(), PublicKeyBlock.signedMessage(2, handle, "log:INBOX", 7, payload),
                signatureOf(block))).isFalse();
    }

    @Test
    void flippedPayloadByteBreaksTheSignature() {
        byte[] tampered = flipBitIn(block.encoded(), payload);

        assertRejected(verifier.verify(tampered, block.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void changedVersionBreaksTheSignature() {
        byte[] tampered = block.encoded();
        int versionAt = BlockFixtures.indexOf(tampered, new byte[] {0x07, 0x57}); // 7, then the payload header
        tampered[versionAt] = 0x08;

        assertRejected(verifier.verify(tampered, block.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void flippedSignatureByteIsRejected() {
        byte[] encoded = block.encoded();
        byte[] tampered = encoded.clone();
        tampered[tampered.length - 1] ^= 0x01;

        assertRejected(verifier.verify(tampered, block.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void flippedLabelByteChangesTheHandle() {
        byte[] tampered = flipBitIn(block.encoded(), "log:INBOX".getBytes(StandardCharsets.UTF_8));

        assertRejected(verifier.verify(tampered, block.handle()), RejectionReason.WRONG_HANDLE);
    }

    @Test
    void validBlockUnderAnotherHandleIsRejected() {
        Id identityHandle = PublicKeyBlock.handleFor(owner.getPublic(), "identity");

        assertRejected(verifier.verify(block.encoded(), identityHandle), RejectionReason.WRONG_HANDLE);
    }

    @Test
    void signatureByAnotherKeyIsRejected() {
        KeyPair mallory = BlockFixtures.ed25519();
        // Mallory signs the fields of the owner's block with her own key and leaves the owner's key in place.
        PublicKeyBlock hers = PublicKeyBlock.sign(mallory, "log:INBOX", 8, payload);
        byte[] forged = BlockFixtures.layout(BlockKind.PUBLIC_KEY, 1, 5)
                .bytes(owner.getPublic().getEncoded()).text("log:INBOX").number(8).bytes(payload)
                .bytes(signatureOf(hers)).end().toBytes();

        assertRejected(verifier.verify(forged, block.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void keyThatIsNotEd25519IsRejected() {
        byte[] x25519Key = BlockFixtures.x25519().getPublic().getEncoded();
        byte[] forged = BlockFixtures.layout(BlockKind.PUBLIC_KEY, 1, 5)
                .bytes(x25519Key).text("log:INBOX").number(8).bytes(payload)
                .bytes(new byte[64]).end().toBytes();
        Id handle = Id.hash(BlockFixtures.concat(x25519Key, "log:INBOX".getBytes(StandardCharsets.UTF_8)));

        assertRejected(verifier.verify(forged, handle), RejectionReason.MALFORMED);
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
    void oversizedPayloadIsRejected() {
        byte[] large = new byte[BlockLimits.DEFAULT_MAX_CONTENT_BYTES + 1];
        PublicKeyBlock built = PublicKeyBlock.sign(owner, "big", 0, large, BlockLimits.withMaxContentBytes(2 << 20));

        assertRejected(verifier.verify(built.encoded(), built.handle()), RejectionReason.OVERSIZED);
    }

    @Test
    void sameVersionWithAnotherPayloadIsEquivocation() {
        PublicKeyBlock other = PublicKeyBlock.sign(owner, "log:INBOX", 7, new byte[] {1, 2, 3});
        PublicKeyBlock resigned = PublicKeyBlock.sign(owner, "log:INBOX", 7, payload);
        PublicKeyBlock next = PublicKeyBlock.sign(owner, "log:INBOX", 8, new byte[] {1, 2, 3});

        assertThat(block.equivocatesWith(other)).isTrue();
        assertThat(block.equivocatesWith(resigned)).isFalse();
        assertThat(block.equivocatesWith(next)).isFalse();
    }

    private static byte[] signatureOf(PublicKeyBlock block) {
        byte[] encoded = block.encoded();
        return Arrays.copyOfRange(encoded, encoded.length - Ed25519.SIGNATURE_BYTES, encoded.length);
    }
}
