package org.epost.post.crypto;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

import org.epost.overlay.security.Ed25519Keys;

/** Ed25519 signatures of users (notifications, log heads, receipts): the overlay's {@link Ed25519Keys}. */
public final class Signatures {
    public static final int PUBLIC_KEY_BYTES = Ed25519Keys.PUBLIC_KEY_BYTES;
    public static final int SIGNATURE_BYTES = Ed25519Keys.SIGNATURE_BYTES;

    private Signatures() {
    }

    public static KeyPair generateKeyPair() {
        return Ed25519Keys.generateKeyPair();
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        return Ed25519Keys.sign(key, message);
    }

    /** False on a bad signature, a wrong key or any malformed input. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        return Ed25519Keys.verify(key, message, signature);
    }

    public static PublicKey decodePublicKey(byte[] x509) throws CryptoException {
        StringBuilder why = new StringBuilder();
        return Ed25519Keys.decodePublicKey(x509, why).orElseThrow(() -> new CryptoException(why.toString()));
    }
}
