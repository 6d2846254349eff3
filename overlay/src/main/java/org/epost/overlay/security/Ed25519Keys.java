package org.epost.overlay.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The JDK's Ed25519, the one signature scheme of ePOST's data (PAST blocks, users' notifications, log heads). Public
 * keys travel in their X.509 form, which for Ed25519 is always 44 bytes; only that one canonical encoding is accepted,
 * so a key has exactly one byte form and hashes of it are stable.
 *
 * <p>Keys are the JDK's; signing and verification run Bouncy Castle's RFC 8032 arithmetic on their raw bytes. The
 * JDK's own Ed25519 is generic field code that costs 3 to 5 times more CPU under the C1 compiler the peers run with
 * (a third of a peer's crypto samples), and Ed25519 signatures are deterministic, so the bytes are the same. Both
 * reject a signature whose S is not below the group order.
 */
public final class Ed25519Keys {
    public static final int PUBLIC_KEY_BYTES = 44;
    public static final int SIGNATURE_BYTES = 64;
    private static final int RAW_KEY_BYTES = 32;
    /** A signer's raw public key, so a signature does not derive it from the private key again (a base multiply). */
    private static final Map<PrivateKey, byte[]> PUBLIC_OF = Collections.synchronizedMap(new WeakHashMap<>());

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
        byte[] seed = rawPrivate(key);
        byte[] publicKey = PUBLIC_OF.computeIfAbsent(key, k -> {
            byte[] raw = new byte[RAW_KEY_BYTES];
            Ed25519.generatePublicKey(seed, 0, raw, 0);
            return raw;
        });
        byte[] signature = new byte[SIGNATURE_BYTES];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code key}; false on any error. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (!isEd25519(key) || signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        byte[] x509 = key.getEncoded();
        if (x509 == null || x509.length != PUBLIC_KEY_BYTES) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, x509, PUBLIC_KEY_BYTES - RAW_KEY_BYTES, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] rawPrivate(PrivateKey key) {
        if (key instanceof EdECPrivateKey edec && isEd25519Name(edec.getParams())) {
            Optional<byte[]> bytes = edec.getBytes();
            if (bytes.isPresent() && bytes.get().length == RAW_KEY_BYTES) {
                return bytes.get();
            }
        }
        throw new IllegalArgumentException("Cannot sign with a " + key.getAlgorithm() + " key");
    }

    private static boolean isEd25519(PublicKey key) {
        return key instanceof EdECPublicKey edec && isEd25519Name(edec.getParams());
    }

    private static boolean isEd25519Name(NamedParameterSpec params) {
        return NamedParameterSpec.ED25519.getName().equalsIgnoreCase(params.getName());
    }
}
