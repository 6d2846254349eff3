package org.epost.overlay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The Bouncy Castle arithmetic behind {@link Ed25519Keys} against the JDK's Ed25519, on the JDK's keys. */
class Ed25519KeysTest {
    /** The order of the Ed25519 group, little-endian in a signature's S half. */
    private static final BigInteger ORDER = BigInteger.TWO.pow(252)
        .add(new BigInteger("27742317777372353535851937790883648493"));
    private final KeyPair keys = Ed25519Keys.generateKeyPair();
    private final byte[] message = "a log head of some folder".getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesAreTheJdksBytesAndEachSideVerifiesTheOther() throws Exception {
        byte[] ours = Ed25519Keys.sign(keys.getPrivate(), message);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(keys.getPrivate());
        jdk.update(message);
        byte[] theirs = jdk.sign();

        assertThat(ours).isEqualTo(theirs);
        assertThat(Ed25519Keys.sign(keys.getPrivate(), message)).isEqualTo(ours);
        assertThat(Ed25519Keys.verify(keys.getPublic(), message, theirs)).isTrue();
        assertThat(jdkVerifies(keys.getPublic(), message, ours)).isTrue();
    }

    @Test
    void anAlteredMessageSignatureOrKeyDoesNotVerify() {
        byte[] signature = Ed25519Keys.sign(keys.getPrivate(), message);
        byte[] altered = message.clone();
        altered[0] ^= 1;
        byte[] badSignature = signature.clone();
        badSignature[10] ^= 1;

        assertThat(Ed25519Keys.verify(keys.getPublic(), altered, signature)).isFalse();
        assertThat(Ed25519Keys.verify(keys.getPublic(), message, badSignature)).isFalse();
        assertThat(Ed25519Keys.verify(Ed25519Keys.generateKeyPair().getPublic(), message, signature)).isFalse();
        assertThat(Ed25519Keys.verify(keys.getPublic(), message, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(Ed25519Keys.verify(keys.getPublic(), message, null)).isFalse();
    }

    @Test
    void aSignatureWithSPlusTheGroupOrderIsRefusedLikeTheJdkDoes() throws Exception {
        byte[] signature = Ed25519Keys.sign(keys.getPrivate(), message);
        byte[] malleated = signature.clone();
        byte[] s = reverse(Arrays.copyOfRange(signature, 32, 64));
        byte[] sPlusOrder = new BigInteger(1, s).add(ORDER).toByteArray();
        byte[] little = reverse(Arrays.copyOfRange(sPlusOrder, Math.max(0, sPlusOrder.length - 32), sPlusOrder.length));
        Arrays.fill(malleated, 32, 64, (byte) 0);
        System.arraycopy(little, 0, malleated, 32, little.length);

        assertThat(Ed25519Keys.verify(keys.getPublic(), message, malleated)).isFalse();
        assertThat(jdkVerifies(keys.getPublic(), message, malleated)).isFalse();
    }

    @Test
    void keysOfAnotherCurveAreRefused() throws Exception {
        KeyPair x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] signature = Ed25519Keys.sign(keys.getPrivate(), message);

        assertThat(Ed25519Keys.verify(x25519.getPublic(), message, signature)).isFalse();
        assertThatThrownBy(() -> Ed25519Keys.sign(x25519.getPrivate(), message))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Cannot sign");
    }

    private static boolean jdkVerifies(PublicKey key, byte[] message, byte[] signature) throws Exception {
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(key);
        jdk.update(message);
        try {
            return jdk.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
