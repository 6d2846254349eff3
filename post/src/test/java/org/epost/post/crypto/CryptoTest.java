package org.epost.post.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.KeyAgreement;

import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CryptoTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 3 * 65536, 1_000_000})
    void segmentedAeadRoundTripsEverySizeAroundSegmentBoundaries(int size) throws Exception {
        byte[] key = Seeded.bytes(32, 1);
        byte[] seed = Seeded.bytes(7, 2);
        byte[] plaintext = Seeded.bytes(size, size);

        byte[] ciphertext = SegmentedAead.encrypt(key, seed, plaintext, new byte[0]);

        assertThat(ciphertext).hasSize((int) SegmentedAead.ciphertextLength(size));
        assertThat(SegmentedAead.decrypt(key, seed, ciphertext, new byte[0])).isEqualTo(plaintext);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 3 * 65536 + 100})
    void chachaSegmentsRoundTripAndAreBoundToTheirAlgorithmAndPlace(int size) throws Exception {
        SegmentedAead.Algorithm chacha = SegmentedAead.Algorithm.CHACHA20_POLY1305;
        byte[] key = Seeded.bytes(32, 1);
        byte[] seed = Seeded.bytes(7, 2);
        byte[] ad = Seeded.bytes(20, 3);
        byte[] plaintext = Seeded.bytes(size, size);

        byte[] ciphertext = SegmentedAead.encrypt(chacha, key, seed, plaintext, ad);

        assertThat(ciphertext).hasSize((int) SegmentedAead.ciphertextLength(size));
        assertThat(ciphertext).isNotEqualTo(SegmentedAead.encrypt(key, seed, plaintext, ad));
        assertThat(SegmentedAead.decrypt(chacha, key, seed, ciphertext, ad)).isEqualTo(plaintext);
        assertThatThrownBy(() -> SegmentedAead.decrypt(key, seed, ciphertext, ad)).as("opened as AES-GCM")
            .isInstanceOf(CryptoException.class);
        byte[] flipped = ciphertext.clone();
        flipped[ciphertext.length / 2] ^= 1;
        assertThatThrownBy(() -> SegmentedAead.decrypt(chacha, key, seed, flipped, ad)).as("altered")
            .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> SegmentedAead.decrypt(chacha, key, seed, ciphertext, new byte[0])).as("other AD")
            .isInstanceOf(CryptoException.class);
        int segment = 65536 + 16;
        int segments = SegmentedAead.segmentsFor(size);
        if (segments > 1) {
            byte[] second = Arrays.copyOfRange(ciphertext, segment, Math.min(ciphertext.length, 2 * segment));
            assertThat(SegmentedAead.decryptSegments(chacha, key, seed, second, 1, segments, ad))
                .isEqualTo(Arrays.copyOfRange(plaintext, 65536, Math.min(size, 2 * 65536)));
            assertThatThrownBy(() -> SegmentedAead.decrypt(chacha, key, seed, Arrays.copyOf(ciphertext, segment), ad))
                .as("cut after its first segment").isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void segmentsDecryptOnTheirOwnOnlyAtTheirPlace() throws Exception {
        byte[] key = Seeded.bytes(32, 1);
        byte[] seed = Seeded.bytes(7, 2);
        byte[] plaintext = Seeded.bytes(3 * 65536 + 100, 4);
        byte[] ciphertext = SegmentedAead.encrypt(key, seed, plaintext, new byte[0]);
        int segment = 65536 + 16;
        byte[] second = Arrays.copyOfRange(ciphertext, segment, 2 * segment);
        byte[] tail = Arrays.copyOfRange(ciphertext, 2 * segment, ciphertext.length);

        assertThat(SegmentedAead.decryptSegments(key, seed, second, 1, 4, new byte[0]))
            .isEqualTo(Arrays.copyOfRange(plaintext, 65536, 2 * 65536));
        assertThat(SegmentedAead.decryptSegments(key, seed, tail, 2, 4, new byte[0]))
            .isEqualTo(Arrays.copyOfRange(plaintext, 2 * 65536, plaintext.length));
        assertThatThrownBy(() -> SegmentedAead.decryptSegments(key, seed, second, 2, 4, new byte[0]))
            .as("moved").isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> SegmentedAead.decryptSegments(key, seed, second, 3, 4, new byte[0]))
            .as("passed off as the last segment").isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> SegmentedAead.decryptSegments(key, seed, Arrays.copyOf(tail, segment + 5), 2, 4,
            new byte[0])).as("not whole segments").isInstanceOf(CryptoException.class);
    }

    @Test
    void segmentedAeadDetectsTamperingTruncationAndReordering() {
        byte[] key = Seeded.bytes(32, 1);
        byte[] seed = Seeded.bytes(7, 2);
        byte[] ciphertext = SegmentedAead.encrypt(key, seed, Seeded.bytes(3 * 65536, 3), new byte[0]);
        int segment = 65536 + 16;

        byte[] flipped = ciphertext.clone();
        flipped[100_000] ^= 1;
        byte[] lastSegmentDropped = Arrays.copyOf(ciphertext, 2 * segment);
        byte[] swapped = ciphertext.clone();
        System.arraycopy(ciphertext, 0, swapped, segment, segment);
        System.arraycopy(ciphertext, segment, swapped, 0, segment);

        for (byte[] bad : new byte[][] {flipped, lastSegmentDropped, swapped, Arrays.copyOf(ciphertext, 10)}) {
            assertThatThrownBy(() -> SegmentedAead.decrypt(key, seed, bad, new byte[0])).isInstanceOf(CryptoException.class);
        }
        assertThatThrownBy(() -> SegmentedAead.decrypt(Seeded.bytes(32, 9), seed, ciphertext, new byte[0]))
            .isInstanceOf(CryptoException.class);
    }

    @Test
    void convergentEncryptionIsDeterministicSoIdenticalPartsCoalesce() throws Exception {
        ConvergentCipher cipher = new ConvergentCipher(Optional.empty());
        byte[] part = Seeded.bytes(200_000, 4);

        byte[] key = cipher.keyFor(part);
        byte[] first = cipher.encrypt(key, part);
        byte[] second = new ConvergentCipher(Optional.empty()).encrypt(cipher.keyFor(part.clone()), part.clone());

        assertThat(second).isEqualTo(first);
        assertThat(cipher.decrypt(key, first)).isEqualTo(part);
        assertThat(cipher.encrypt(cipher.keyFor(Seeded.bytes(200_000, 5)), Seeded.bytes(200_000, 5)))
            .isNotEqualTo(first);
    }

    @Test
    void aConvergenceSecretChangesKeysSoOutsidersCannotConfirmGuesses() {
        byte[] part = "Dear Bob, the password is hunter2".getBytes(StandardCharsets.UTF_8);
        ConvergentCipher open = new ConvergentCipher(Optional.empty());
        ConvergentCipher organization = new ConvergentCipher(Optional.of(Seeded.bytes(32, 6)));

        assertThat(organization.keyFor(part)).isNotEqualTo(open.keyFor(part));
        assertThat(organization.keyFor(part)).isEqualTo(organization.keyFor(part.clone()));
    }

    @Test
    void convergentDecryptionWithTheWrongKeyFails() {
        ConvergentCipher cipher = new ConvergentCipher(Optional.empty());
        byte[] part = Seeded.bytes(1000, 7);
        byte[] ciphertext = cipher.encrypt(cipher.keyFor(part), part);

        assertThatThrownBy(() -> cipher.decrypt(cipher.keyFor(Seeded.bytes(1000, 8)), ciphertext))
            .isInstanceOf(CryptoException.class);
    }

    @Test
    void aSealedBoxOpensOnlyForItsRecipientAndContext() throws Exception {
        KeyPair bob = SealedBox.generateKeyPair();
        KeyPair eve = SealedBox.generateKeyPair();
        byte[] message = Seeded.bytes(150_000, 10);

        byte[] box = SealedBox.seal(bob.getPublic(), message, "notification");

        assertThat(SealedBox.open(bob, box, "notification")).isEqualTo(message);
        assertThat(SealedBox.seal(bob.getPublic(), message, "notification")).isNotEqualTo(box);
        assertThatThrownBy(() -> SealedBox.open(eve, box, "notification")).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> SealedBox.open(bob, box, "log-record")).isInstanceOf(CryptoException.class);
        byte[] tampered = box.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> SealedBox.open(bob, tampered, "notification")).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> SealedBox.open(bob, Arrays.copyOf(box, 20), "notification")).isInstanceOf(CryptoException.class);
    }

    @Test
    void theAgreementAndTheEphemeralKeyAreTheJdksX25519() throws Exception {
        KeyPair alice = SealedBox.generateKeyPair();
        KeyPair bob = SealedBox.generateKeyPair();
        KeyAgreement jdk = KeyAgreement.getInstance("X25519");
        jdk.init(alice.getPrivate());
        jdk.doPhase(bob.getPublic(), true);

        assertThat(SealedBox.agree(SealedBox.rawPrivate(alice.getPrivate()), bob.getPublic().getEncoded()))
            .isEqualTo(jdk.generateSecret());
        byte[] box = SealedBox.seal(bob.getPublic(), new byte[10], "notification");
        byte[] ephemeral = Arrays.copyOf(box, SealedBox.PUBLIC_KEY_BYTES);
        assertThat(SealedBox.decodePublicKey(ephemeral).getEncoded()).isEqualTo(ephemeral);
    }

    @Test
    void aSmallOrderOrForeignPublicKeyIsRefused() {
        byte[] own = SealedBox.rawPrivate(SealedBox.generateKeyPair().getPrivate());
        byte[] zeroPoint = Arrays.copyOf(SealedBox.generateKeyPair().getPublic().getEncoded(), SealedBox.PUBLIC_KEY_BYTES);
        Arrays.fill(zeroPoint, 12, zeroPoint.length, (byte) 0);

        assertThatThrownBy(() -> SealedBox.agree(own, zeroPoint)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("small-order");
        assertThatThrownBy(() -> SealedBox.agree(own, Signatures.generateKeyPair().getPublic().getEncoded()))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SealedBox.rawPrivate(Signatures.generateKeyPair().getPrivate()))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signaturesVerifyOnlyTheSignedBytesUnderTheSignersKey() throws Exception {
        KeyPair alice = Signatures.generateKeyPair();
        byte[] message = "head v7".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Signatures.sign(alice.getPrivate(), message);

        assertThat(signature).hasSize(Signatures.SIGNATURE_BYTES);
        assertThat(Signatures.verify(Signatures.decodePublicKey(alice.getPublic().getEncoded()), message, signature)).isTrue();
        assertThat(Signatures.verify(alice.getPublic(), "head v8".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(Signatures.verify(Signatures.generateKeyPair().getPublic(), message, signature)).isFalse();
        assertThat(Signatures.verify(alice.getPublic(), message, new byte[3])).isFalse();
        assertThatThrownBy(() -> Signatures.decodePublicKey(new byte[44])).isInstanceOf(CryptoException.class);
    }
}
