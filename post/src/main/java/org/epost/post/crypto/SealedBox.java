package org.epost.post.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Encryption to someone's X25519 public key (notifications, log records, private keys at rest): a fresh ephemeral
 * X25519 key agreement, HKDF-SHA-256 (Bouncy Castle's) over the shared secret and both public keys, then
 * {@link SegmentedAead}. Layout: the ephemeral public key (44 bytes, X.509) followed by the ciphertext. Only the
 * holder of the recipient's private key can open it; anyone can seal.
 *
 * <p>Keys are the JDK's; the ephemeral key and the agreement run Bouncy Castle's RFC 7748 arithmetic on their raw
 * bytes, which under the C1 compiler the peers run with costs a fraction of the JDK's generic field code (same
 * results: both clamp the scalar and mask the top bit of u).
 */
public final class SealedBox {
    static final int PUBLIC_KEY_BYTES = 44;
    private static final int RAW_KEY_BYTES = X25519.POINT_SIZE;
    /** The X.509 SubjectPublicKeyInfo header of every X25519 key: the algorithm OID and the bit string's length. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};
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
        byte[] ephemeralPrivate = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(RANDOM, ephemeralPrivate);
        byte[] ephemeralPublic = Arrays.copyOf(X509_PREFIX, PUBLIC_KEY_BYTES);
        X25519.scalarMultBase(ephemeralPrivate, 0, ephemeralPublic, X509_PREFIX.length);
        byte[] recipientPublic = recipient.getEncoded();
        byte[] keys = derive(agree(ephemeralPrivate, recipientPublic), ephemeralPublic, recipientPublic, context);
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
        byte[] ephemeral = decodePublicKey(Arrays.copyOf(box, PUBLIC_KEY_BYTES)).getEncoded();
        byte[] shared;
        try {
            shared = agree(rawPrivate(recipient.getPrivate()), ephemeral);
        } catch (IllegalStateException e) {
            throw new CryptoException("key agreement failed: " + e.getMessage(), e);
        }
        byte[] keys = derive(shared, ephemeral, recipient.getPublic().getEncoded(), context);
        return SegmentedAead.decrypt(Arrays.copyOf(keys, SegmentedAead.KEY_BYTES),
            Arrays.copyOfRange(keys, SegmentedAead.KEY_BYTES, keys.length),
            Arrays.copyOfRange(box, PUBLIC_KEY_BYTES, box.length), context(context));
    }

    /** The X25519 shared secret of a raw private scalar and an X.509-encoded public key. */
    static byte[] agree(byte[] ownPrivate, byte[] otherX509) {
        if (otherX509.length != PUBLIC_KEY_BYTES
            || !Arrays.equals(otherX509, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalStateException("not an X25519 public key");
        }
        byte[] secret = new byte[RAW_KEY_BYTES];
        if (!X25519.calculateAgreement(ownPrivate, 0, otherX509, X509_PREFIX.length, secret, 0)) {
            throw new IllegalStateException("all-zero shared secret (small-order public key)");
        }
        return secret;
    }

    static byte[] rawPrivate(PrivateKey key) {
        if (key instanceof XECPrivateKey xec && xec.getParams() instanceof NamedParameterSpec named
            && NamedParameterSpec.X25519.getName().equalsIgnoreCase(named.getName())) {
            Optional<byte[]> scalar = xec.getScalar();
            if (scalar.isPresent() && scalar.get().length == RAW_KEY_BYTES) {
                return scalar.get();
            }
        }
        throw new IllegalStateException("not an X25519 private key: " + key.getAlgorithm());
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
