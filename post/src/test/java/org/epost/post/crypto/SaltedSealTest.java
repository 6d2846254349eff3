package org.epost.post.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SaltedSealTest {
    private static final SaltedSeal SEAL = new SaltedSeal(bytes("test/key/v1"), bytes("test/nonce/v1"));
    private static final byte[] SECRET = Hashes.sha256(bytes("a long-lived secret"));
    private static final byte[] PREFIX = bytes("TST\1");
    private static final byte[] TEXT = bytes("Subject: sealed\r\n\r\na line of the message\r\n".repeat(3000));
    private static final byte[] BINDING = bytes("the handle it belongs to");

    @Test
    void whatIsSealedOpensWithTheSameSecretAndBindingAndHidesTheText() throws CryptoException {
        byte[] sealed = SEAL.seal(SECRET, PREFIX, TEXT, BINDING);

        assertThat(Arrays.copyOf(sealed, PREFIX.length)).isEqualTo(PREFIX);
        assertThat(sealed).hasSize((int) SaltedSeal.sealedLength(PREFIX.length, TEXT.length));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("a line of the message");
        assertThat(SEAL.open(SECRET, sealed, PREFIX.length, BINDING)).isEqualTo(TEXT);
    }

    @Test
    void twoSealsOfTheSameTextDifferBySaltAndKey() {
        assertThat(SEAL.seal(SECRET, PREFIX, TEXT, BINDING)).isNotEqualTo(SEAL.seal(SECRET, PREFIX, TEXT, BINDING));
    }

    @Test
    void anotherSecretBindingLabelOrAlteredPrefixSaltOrTextFailsToOpen() {
        byte[] sealed = SEAL.seal(SECRET, PREFIX, TEXT, BINDING);
        byte[] otherSecret = Hashes.sha256(bytes("another secret"));
        assertThatThrownBy(() -> SEAL.open(otherSecret, sealed, PREFIX.length, BINDING))
            .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> SEAL.open(SECRET, sealed, PREFIX.length, bytes("another handle")))
            .isInstanceOf(CryptoException.class);
        SaltedSeal otherUse = new SaltedSeal(bytes("test/other-key/v1"), bytes("test/nonce/v1"));
        assertThatThrownBy(() -> otherUse.open(SECRET, sealed, PREFIX.length, BINDING))
            .isInstanceOf(CryptoException.class);
        for (int position : new int[] {0, PREFIX.length, PREFIX.length + SaltedSeal.SALT_BYTES, sealed.length - 1}) {
            byte[] altered = sealed.clone();
            altered[position] ^= 1;
            assertThatThrownBy(() -> SEAL.open(SECRET, altered, PREFIX.length, BINDING))
                .as("a bit flipped at %d", position).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void truncatedBytesAreRefused() {
        byte[] sealed = SEAL.seal(SECRET, PREFIX, TEXT, BINDING);
        assertThatThrownBy(() -> SEAL.open(SECRET, Arrays.copyOf(sealed, PREFIX.length + 3), PREFIX.length, BINDING))
            .isInstanceOf(CryptoException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> SEAL.open(SECRET, Arrays.copyOf(sealed, sealed.length - 20), PREFIX.length, BINDING))
            .isInstanceOf(CryptoException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
