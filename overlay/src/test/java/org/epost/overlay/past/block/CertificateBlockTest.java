package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.past.block.BlockFixtures.NOW;
import static org.epost.overlay.past.block.BlockFixtures.SKEW;
import static org.epost.overlay.past.block.BlockFixtures.flipBitIn;
import static org.epost.overlay.past.block.ContentHashBlockTest.assertRejected;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.ManualClock;
import org.junit.jupiter.api.Test;

class CertificateBlockTest {
    private static final long DAY = 86_400_000L;

    private final KeyPair ca = BlockFixtures.ed25519();
    private final ManualClock clock = new ManualClock(NOW);
    private final BlockVerifier verifier = new BlockVerifier(ca.getPublic(), clock, BlockLimits.DEFAULT, SKEW);
    private final byte[] signingKey = BlockFixtures.ed25519().getPublic().getEncoded();
    private final byte[] encryptionKey = BlockFixtures.x25519().getPublic().getEncoded();
    private final CertificateBlock certificate = CertificateBlock.issue(ca.getPrivate(), "alice@example.org",
            List.of(signingKey, encryptionKey), NOW + 365 * DAY);

    @Test
    void handleIsTheHashOfTheName() {
        assertThat(certificate.handle()).isEqualTo(Id.hash("alice@example.org"));
    }

    @Test
    void roundTripsThroughItsEncoding() {
        CertificateBlock decoded = verifier.verify(certificate.encoded(), certificate.key())
                .blockAs(CertificateBlock.class).orElseThrow();

        assertThat(decoded.name()).isEqualTo("alice@example.org");
        assertThat(decoded.publicKeys()).containsExactly(signingKey, encryptionKey);
        assertThat(decoded.notAfter()).isEqualTo(NOW + 365 * DAY);
        assertThat(decoded.encoded()).isEqualTo(certificate.encoded());
    }

    @Test
    void encodingIsTheDocumentedLayout() {
        byte[] encoded = certificate.encoded();
        byte[] signature = Arrays.copyOfRange(encoded, encoded.length - Ed25519.SIGNATURE_BYTES, encoded.length);

        assertThat(encoded).isEqualTo(BlockFixtures.layout(BlockKind.CERTIFICATE, 1, 4).text("alice@example.org")
                .array(2).bytes(signingKey).bytes(encryptionKey).end().number(NOW + 365 * DAY).bytes(signature).end()
                .toBytes());
        assertThat(BlockKind.CERTIFICATE.formatVersion()).isEqualTo(CertificateBlock.FORMAT_VERSION).isEqualTo(1);
    }

    @Test
    void anyOtherFormatVersionIsRejectedAsMalformed() {
        for (int version = 0; version <= 23; version++) {
            if (version == CertificateBlock.FORMAT_VERSION) {
                continue;
            }
            Verification verification = verifier.verify(
                    BlockFixtures.withFormatVersion(certificate.encoded(), version), certificate.key());

            assertRejected(verification, RejectionReason.MALFORMED);
            assertThat(verification.detail()).contains("unknown certificate block format version " + version);
        }
    }

    @Test
    void theCaSignatureCoversTheFormatVersion() {
        List<byte[]> keys = List.of(signingKey, encryptionKey);
        long notAfter = NOW + 365 * DAY;
        byte[] signedForVersion2 = Ed25519.sign(ca.getPrivate(),
                CertificateBlock.signedMessage(2, certificate.handle(), "alice@example.org", keys, notAfter));
        byte[] signedForVersion1 = Ed25519.sign(ca.getPrivate(),
                CertificateBlock.signedMessage(1, certificate.handle(), "alice@example.org", keys, notAfter));

        assertRejected(verifier.verify(certificateSignedWith(signedForVersion2, notAfter), certificate.key()),
                RejectionReason.BAD_SIGNATURE);
        assertThat(verifier.verify(certificateSignedWith(signedForVersion1, notAfter), certificate.key()).isValid())
                .isTrue();
        assertThat(CertificateBlock.signedMessage(1, certificate.handle(), "alice@example.org", keys, notAfter))
                .startsWith((byte) 0x86, (byte) 0x01);
    }

    private byte[] certificateSignedWith(byte[] signature, long notAfter) {
        return BlockFixtures.layout(BlockKind.CERTIFICATE, 1, 4).text("alice@example.org")
                .array(2).bytes(signingKey).bytes(encryptionKey).end().number(notAfter).bytes(signature).end()
                .toBytes();
    }

    @Test
    void signedByAnotherKeyThanTheCaIsRejected() {
        KeyPair rogue = BlockFixtures.ed25519();
        CertificateBlock forged = CertificateBlock.issue(rogue.getPrivate(), "alice@example.org",
                List.of(signingKey), NOW + DAY);

        assertRejected(verifier.verify(forged.encoded(), forged.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void swappedKeyIsRejected() {
        byte[] tampered = flipBitIn(certificate.encoded(), signingKey);

        assertRejected(verifier.verify(tampered, certificate.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void extendedValidityIsRejected() {
        CertificateBlock shortLived = CertificateBlock.issue(ca.getPrivate(), "bob@example.org",
                List.of(signingKey), 1_000_000L);
        byte[] tampered = flipBitIn(shortLived.encoded(), new byte[] {0x1a, 0x00, 0x0f, 0x42, 0x40}); // uint32 1e6

        assertRejected(verifier.verify(tampered, shortLived.handle()), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void flippedNameByteChangesTheHandle() {
        byte[] tampered = flipBitIn(certificate.encoded(), "alice@example.org".getBytes());

        assertRejected(verifier.verify(tampered, certificate.handle()), RejectionReason.WRONG_HANDLE);
    }

    @Test
    void validCertificateUnderAnotherHandleIsRejected() {
        assertRejected(verifier.verify(certificate.encoded(), CertificateBlock.handleFor("mallory@example.org")),
                RejectionReason.WRONG_HANDLE);
    }

    @Test
    void expiredCertificateIsRejectedOnceTheSkewHasPassed() {
        CertificateBlock expiring = CertificateBlock.issue(ca.getPrivate(), "carol@example.org",
                List.of(signingKey), NOW + DAY);

        clock.set(NOW + DAY + SKEW);
        assertThat(verifier.verify(expiring.encoded(), expiring.handle()).isValid()).isTrue();

        clock.set(NOW + DAY + SKEW + 1);
        assertRejected(verifier.verify(expiring.encoded(), expiring.handle()), RejectionReason.EXPIRED_CERTIFICATE);
    }

    @Test
    void certificateWithoutKeysIsRejected() {
        byte[] empty = BlockFixtures.layout(BlockKind.CERTIFICATE, 1, 4).text("x")
                .array(0).end().number(NOW).bytes(new byte[64]).end().toBytes();

        assertRejected(verifier.verify(empty, CertificateBlock.handleFor("x")), RejectionReason.MALFORMED);
    }

    @Test
    void truncatedEncodingIsRejected() {
        byte[] encoded = certificate.encoded();
        for (int length = 0; length < encoded.length; length++) {
            assertRejected(verifier.verify(Arrays.copyOf(encoded, length), certificate.handle()),
                    RejectionReason.MALFORMED);
        }
    }

    @Test
    void aSignatureFoundValidIsRememberedYetTamperedBytesUnderAnotherHandleOrExpiryStillFail() {
        assertThat(verifier.verify(certificate.encoded(), certificate.handle()).isValid()).isTrue();
        assertThat(verifier.verify(certificate.encoded(), certificate.handle()).isValid()).isTrue();
        assertThat(verifier.verifiedSignatures()).isEqualTo(1);

        assertRejected(verifier.verify(flipBitIn(certificate.encoded(), signingKey), certificate.handle()),
                RejectionReason.BAD_SIGNATURE);
        assertRejected(verifier.verify(certificate.encoded(), Id.hash("bob@example.org")),
                RejectionReason.WRONG_HANDLE);
        clock.set(NOW + 366 * DAY + SKEW);
        assertRejected(verifier.verify(certificate.encoded(), certificate.handle()),
                RejectionReason.EXPIRED_CERTIFICATE);
        assertThat(verifier.verifiedSignatures()).isEqualTo(1);
    }
}
