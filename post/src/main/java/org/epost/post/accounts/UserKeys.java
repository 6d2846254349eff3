package org.epost.post.accounts;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Objects;

import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;

/**
 * A user's two key pairs: Ed25519 for signing (identity block, log heads, notifications, receipts) and X25519 for
 * receiving sealed boxes. The private halves never leave the home peer except sealed in its {@link KeyVault}.
 * {@link #toString()} shows the public keys only.
 */
public final class UserKeys {
    private final KeyPair signing;
    private final KeyPair encryption;

    public UserKeys(KeyPair signing, KeyPair encryption) {
        this.signing = Objects.requireNonNull(signing, "signing");
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        if (!"Ed25519".equals(algorithm(signing)) && !"EdDSA".equals(algorithm(signing))) {
            throw new IllegalArgumentException("Signing keys are Ed25519, not " + algorithm(signing));
        }
        if (!"X25519".equals(algorithm(encryption)) && !"XDH".equals(algorithm(encryption))) {
            throw new IllegalArgumentException("Encryption keys are X25519, not " + algorithm(encryption));
        }
    }

    public static UserKeys generate() {
        return new UserKeys(Signatures.generateKeyPair(), SealedBox.generateKeyPair());
    }

    public KeyPair signing() {
        return signing;
    }

    public KeyPair encryption() {
        return encryption;
    }

    public PublicKey signingPublicKey() {
        return signing.getPublic();
    }

    public PublicKey encryptionPublicKey() {
        return encryption.getPublic();
    }

    /** Whether these are the keys {@code certificate} certifies. */
    public boolean matches(UserCertificate certificate) {
        return certificate.signingKey().equals(signing.getPublic())
                && certificate.encryptionKey().equals(encryption.getPublic());
    }

    private static String algorithm(KeyPair pair) {
        return pair.getPublic().getAlgorithm();
    }

    @Override
    public String toString() {
        return "UserKeys(signing " + Hex.of(signing.getPublic().getEncoded()) + ")";
    }
}
