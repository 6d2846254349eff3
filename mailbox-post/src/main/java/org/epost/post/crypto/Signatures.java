package org.epost.post.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** Ed25519 signatures of users (notifications, log heads, receipts), with the JDK's implementation. */
public final class Signatures {
    public static final int PUBLIC_KEY_BYTES = 44;
    public static final int SIGNATURE_BYTES = 64;

    private Signatures() {
    }

    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has Ed25519", e);
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

    /** False on a bad signature, a wrong key or any malformed input. */
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

    public static PublicKey decodePublicKey(byte[] x509) throws CryptoException {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            if (!Arrays.equals(key.getEncoded(), x509)) {
                throw new CryptoException("non-canonical Ed25519 public key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CryptoException("not an Ed25519 public key", e);
        }
    }
}
