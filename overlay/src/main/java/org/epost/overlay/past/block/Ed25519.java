package org.epost.overlay.past.block;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** The JDK's Ed25519, as the block kinds use it. */
final class Ed25519 {
    /** An Ed25519 public key in X.509 SubjectPublicKeyInfo form is always 44 bytes (12 of header, 32 of key). */
    static final int X509_PUBLIC_KEY_BYTES = 44;
    static final int SIGNATURE_BYTES = 64;

    private Ed25519() {
    }

    /** Decodes an X.509-encoded Ed25519 public key, accepting only its one canonical encoding. */
    static PublicKey decodePublicKey(byte[] x509) throws MalformedBlockException {
        if (x509.length != X509_PUBLIC_KEY_BYTES) {
            throw new MalformedBlockException("an Ed25519 public key has " + X509_PUBLIC_KEY_BYTES + " bytes");
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            if (!Arrays.equals(key.getEncoded(), x509)) {
                throw new MalformedBlockException("non-canonical Ed25519 public key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MalformedBlockException("not an Ed25519 public key", e);
        }
    }

    /** The X.509 encoding of an Ed25519 public key; refuses keys of other algorithms. */
    static byte[] encodePublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        try {
            decodePublicKey(encoded);
        } catch (MalformedBlockException e) {
            throw new IllegalArgumentException("Not an Ed25519 public key: " + key.getAlgorithm(), e);
        }
        return encoded;
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot sign with an Ed25519 key: " + key.getAlgorithm(), e);
        }
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code key}; false on any error. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
