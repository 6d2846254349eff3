package org.epost.post.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.epost.post.crypto.CryptoException;
import org.junit.jupiter.api.Test;

class SealedSpoolBodyTest {
    private static final byte[] KEY = SealedSpoolBody.spoolKey("a vault secret of at least thirty-two bytes".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] MESSAGE = "Subject: spooled\r\n\r\nthe body marker-91c2\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSealedMessageRoundTripsThroughItsCodecAndHoldsNoPlaintext() throws Exception {
        byte[] encoded = SealedSpoolBody.seal(KEY, MESSAGE).encoded();

        assertThat(new String(encoded, StandardCharsets.ISO_8859_1)).doesNotContain("marker-91c2");
        assertThat(SealedSpoolBody.decode(encoded).open(KEY)).isEqualTo(MESSAGE);
        // a fresh salt (so a fresh key) for each message: equal messages do not look equal in the spool
        assertThat(SealedSpoolBody.seal(KEY, MESSAGE).encoded()).isNotEqualTo(encoded);
    }

    @Test
    void anotherPeersKeyOrAnAlteredBodyIsRefused() {
        SealedSpoolBody sealed = SealedSpoolBody.seal(KEY, MESSAGE);
        byte[] otherKey = SealedSpoolBody.spoolKey("another vault secret, also thirty-two bytes".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> sealed.open(otherKey)).isInstanceOf(CryptoException.class);

        byte[] altered = sealed.ciphertext();
        altered[altered.length / 2] ^= 1;
        assertThatThrownBy(() -> new SealedSpoolBody(sealed.salt(), altered).open(KEY)).isInstanceOf(CryptoException.class);
    }

    @Test
    void malformedEncodingsAreRefusedWithTheReason() {
        byte[] encoded = SealedSpoolBody.seal(KEY, MESSAGE).encoded();
        encoded[0] ^= 1;
        assertThatThrownBy(() -> SealedSpoolBody.decode(encoded)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("spool body");
        assertThatThrownBy(() -> SealedSpoolBody.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SealedSpoolBody(new byte[3], new byte[0])).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("salt");
    }
}
