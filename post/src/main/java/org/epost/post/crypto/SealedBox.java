package org.epost.post.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Encryption to someone's X25519 public key (notifications, log records, private keys at rest): a fresh ephemeral
 * X25519 key agreement, HKDF-SHA-256 (Bouncy Castle's) over the shared secret and both public keys, then
 * {@link SegmentedAead}. Layout: the ephemeral public key (44 bytes, X.509) followed by the ciphertext. Only the
 * holder of the recipient's private key can open it; anyone can seal.
 */
public final class SealedBox {
    static final int PUBLIC_KEY_BYTES = 44;
    private static final byte[] INFO = "epost/sealed-box/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedBox() {
    }

    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has X25519", e);
        }
    }

    public static PublicKey decodePublicKey(byte[] x509) throws CryptoException {
        try {
            PublicKey key = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(x509));
            if (!Arrays.equals(key.getEncoded(), x509)) {
                throw new CryptoException("non-canonical X25519 public key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CryptoException("not an X25519 public key", e);
        }
    }

    /** Seals {@code plaintext} for {@code recipient}; {@code context} (e.g. "notification") must match on opening. */
    public static byte[] seal(PublicKey recipient, byte[] plaintext, String context) {
        KeyPair ephemeral;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
            generator.initialize(255, RANDOM);
            ephemeral = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has X25519", e);
        }
        byte[] ephemeralPublic = ephemeral.getPublic().getEncoded();
        byte[] keys = derive(agree(ephemeral.getPrivate(), recipient), ephemeralPublic, recipient.getEncoded(), context);
        byte[] sealed = SegmentedAead.encrypt(Arrays.copyOf(keys, SegmentedAead.KEY_BYTES),
            Arrays.copyOfRange(keys, SegmentedAead.KEY_BYTES, keys.length), plaintext, context(context));
        byte[] out = Arrays.copyOf(ephemeralPublic, ephemeralPublic.length + sealed.length);
        System.arraycopy(sealed, 0, out, ephemeralPublic.length, sealed.length);
        return out;
    }

    public static byte[] open(KeyPair recipient, byte[] box, String context) throws CryptoException {
        if (box.length < PUBLIC_KEY_BYTES) {
            throw new CryptoException("sealed box of " + box.length + " bytes is truncated");
        }
        PublicKey ephemeral = decodePublicKey(Arrays.copyOf(box, PUBLIC_KEY_BYTES));
        byte[] shared;
        try {
            shared = agree(recipient.getPrivate(), ephemeral);
        } catch (IllegalStateException e) {
            throw new CryptoException("key agreement failed: " + e.getMessage(), e);
        }
        byte[] keys = derive(shared, ephemeral.getEncoded(), recipient.getPublic().getEncoded(), context);
        return SegmentedAead.decrypt(Arrays.copyOf(keys, SegmentedAead.KEY_BYTES),
            Arrays.copyOfRange(keys, SegmentedAead.KEY_BYTES, keys.length),
            Arrays.copyOfRange(box, PUBLIC_KEY_BYTES, box.length), context(context));
    }

    private static byte[] agree(PrivateKey own, PublicKey other) {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(own);
            agreement.doPhase(other, true);
            byte[] secret = agreement.generateSecret();
            if (Arrays.equals(secret, new byte[secret.length])) {
                throw new IllegalStateException("all-zero shared secret (small-order public key)");
            }
            return secret;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 key agreement failed", e);
        }
    }

    private static byte[] derive(byte[] shared, byte[] ephemeralPublic, byte[] recipientPublic, String context) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        byte[] salt = new byte[ephemeralPublic.length + recipientPublic.length];
        System.arraycopy(ephemeralPublic, 0, salt, 0, ephemeralPublic.length);
        System.arraycopy(recipientPublic, 0, salt, ephemeralPublic.length, recipientPublic.length);
        hkdf.init(new HKDFParameters(shared, salt, context(context)));
        byte[] out = new byte[SegmentedAead.KEY_BYTES + SegmentedAead.NONCE_SEED_BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    private static byte[] context(String context) {
        byte[] name = context.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(INFO, INFO.length + 1 + name.length);
        out[INFO.length] = '/';
        System.arraycopy(name, 0, out, INFO.length + 1, name.length);
        return out;
    }
}
