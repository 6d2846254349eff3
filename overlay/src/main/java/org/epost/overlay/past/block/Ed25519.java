package org.epost.overlay.past.block;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;

import org.epost.overlay.security.Ed25519Keys;

/** {@link Ed25519Keys} as the block kinds use it: malformed keys are malformed blocks. */
final class Ed25519 {
    static final int X509_PUBLIC_KEY_BYTES = Ed25519Keys.PUBLIC_KEY_BYTES;
    static final int SIGNATURE_BYTES = Ed25519Keys.SIGNATURE_BYTES;

    private Ed25519() {
    }

    /** Decodes an X.509-encoded Ed25519 public key, accepting only its one canonical encoding. */
    static PublicKey decodePublicKey(byte[] x509) throws MalformedBlockException {
        StringBuilder why = new StringBuilder();
        Optional<PublicKey> key = Ed25519Keys.decodePublicKey(x509, why);
        if (key.isEmpty()) {
            throw new MalformedBlockException(why.toString());
        }
        return key.get();
    }

    /** The X.509 encoding of an Ed25519 public key; refuses keys of other algorithms. */
    static byte[] encodePublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (Ed25519Keys.decodePublicKey(encoded, new StringBuilder()).isEmpty()) {
            throw new IllegalArgumentException("Not an Ed25519 public key: " + key.getAlgorithm());
        }
        return encoded;
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        return Ed25519Keys.sign(key, message);
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        return Ed25519Keys.verify(key, message, signature);
    }
}
