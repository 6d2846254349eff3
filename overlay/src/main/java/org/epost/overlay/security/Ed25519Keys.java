package org.epost.overlay.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The JDK's Ed25519, the one signature scheme of ePOST's data (PAST blocks, users' notifications, log heads). Public
 * keys travel in their X.509 form, which for Ed25519 is always 44 bytes; only that one canonical encoding is accepted,
 * so a key has exactly one byte form and hashes of it are stable.
 */
public final class Ed25519Keys {
    public static final int PUBLIC_KEY_BYTES = 44;
    public static final int SIGNATURE_BYTES = 64;

    private Ed25519Keys() {
    }

    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has Ed25519", e);
        }
    }

    /** The key, or why these bytes are not the canonical X.509 encoding of an Ed25519 public key. */
    public static Optional<PublicKey> decodePublicKey(byte[] x509, StringBuilder why) {
        if (x509.length != PUBLIC_KEY_BYTES) {
            why.append("an Ed25519 public key has ").append(PUBLIC_KEY_BYTES).append(" bytes");
            return Optional.empty();
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            if (!Arrays.equals(key.getEncoded(), x509)) {
                why.append("non-canonical Ed25519 public key");
                return Optional.empty();
            }
            return Optional.of(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            why.append("not an Ed25519 public key");
            return Optional.empty();
        }
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code key}; false on any error. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
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
