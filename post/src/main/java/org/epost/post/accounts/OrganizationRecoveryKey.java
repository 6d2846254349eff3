package org.epost.post.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SealedBox;

/**
 * The organization's <em>recovery key</em>: an X25519 key pair to which every peer seals its users' key vault entries
 * ({@link RecoveryEnvelope}), so that a user survives the loss of the home peer's disk. The admin creates it once
 * with the organization authority ({@code epost-admin recovery-key-init}) and keeps the private half offline: a peer
 * only ever needs the public half, and only the admin's tool opens an envelope.
 *
 * <p>Files, next to {@code ca.p12} in the authority directory:
 * <ul>
 *   <li>{@value #KEY_FILE} (mode 0600, stays with the admin): the PKCS#8 private key sealed under its own password
 *       (see {@link PasswordSealing}; magic {@code "EPRECKEY"}).</li>
 *   <li>{@value #PUBLIC_FILE} (to every peer, in {@code post.authority}): the X.509 public key ({@code PUBLIC KEY}) and
 *       the organization CA's {@code SHA256withECDSA} signature over {@code "epost/recovery-key/v1" || 0x00 || X.509
 *       public key} ({@code EPOST RECOVERY KEY ENDORSEMENT}). A peer seals only to a key the organization endorsed,
 *       so a recovery.pem swapped on a peer's disk cannot divert the users' keys to someone else.</li>
 * </ul>
 */
public final class OrganizationRecoveryKey {
    public static final String KEY_FILE = "recovery.key";
    public static final String PUBLIC_FILE = "recovery.pem";
    private static final byte[] KEY_MAGIC = "EPRECKEY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENDORSEMENT_CONTEXT = "epost/recovery-key/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final String ENDORSEMENT_PEM = "EPOST RECOVERY KEY ENDORSEMENT";

    private OrganizationRecoveryKey() {
    }

    /**
     * Creates the recovery key in the organization authority {@code directory}: a fresh X25519 key pair, endorsed with
     * the organization CA key from {@code ca.p12}, its private half sealed under {@code recoveryPassword}. Refuses to
     * overwrite an existing one (envelopes sealed to it would become unreadable). Answers the public key.
     */
    public static PublicKey create(Path directory, char[] caPassword, char[] recoveryPassword) throws IOException {
        if (Files.exists(directory.resolve(KEY_FILE))) {
            throw new IOException(directory.resolve(KEY_FILE) + " already exists: envelopes sealed to it would be lost");
        }
        PrivateKey organizationKey = OrganizationUserAuthority.loadOrganizationKey(directory, caPassword);
        KeyPair keys = SealedBox.generateKeyPair();
        String pem = EndorsedKey.endorse(organizationKey, ENDORSEMENT_CONTEXT, keys.getPublic().getEncoded(),
                ENDORSEMENT_PEM, "recovery key");
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        try {
            KeyVault.writeAtomically(directory, KEY_FILE, PasswordSealing.seal(KEY_MAGIC, pkcs8, recoveryPassword),
                    false);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        KeyVault.writeAtomically(directory, PUBLIC_FILE, pem.getBytes(StandardCharsets.US_ASCII), true);
        return keys.getPublic();
    }

    /** The recovery public key from {@code recoveryPem}, accepted only if the organization CA endorsed it. */
    public static PublicKey loadTrustedPublicKey(Path recoveryPem, X509Certificate organizationCa) throws IOException {
        byte[] publicKey = EndorsedKey.readEndorsed(recoveryPem, organizationCa, ENDORSEMENT_CONTEXT, ENDORSEMENT_PEM,
                "recovery key");
        try {
            return SealedBox.decodePublicKey(publicKey);
        } catch (CryptoException e) {
            throw new IOException("Cannot verify the recovery key in " + recoveryPem + ": " + e.getMessage(), e);
        }
    }

    /** The recovery key pair, on the admin's machine only ({@value #KEY_FILE} and {@value #PUBLIC_FILE}). */
    public static KeyPair load(Path directory, char[] recoveryPassword) throws IOException {
        PublicKey publicKey;
        try {
            publicKey = SealedBox.decodePublicKey(EndorsedKey.readPublicKey(directory.resolve(PUBLIC_FILE)));
        } catch (CryptoException e) {
            throw new IOException(directory.resolve(PUBLIC_FILE) + " holds no X25519 public key", e);
        }
        byte[] pkcs8 = PasswordSealing.unseal(KEY_MAGIC, KEY_FILE, Files.readAllBytes(directory.resolve(KEY_FILE)),
                recoveryPassword);
        try {
            PrivateKey privateKey = KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            KeyPair pair = new KeyPair(publicKey, privateKey);
            byte[] probe = "epost/recovery-key/probe".getBytes(StandardCharsets.US_ASCII);
            if (!Arrays.equals(probe, SealedBox.open(pair, SealedBox.seal(publicKey, probe, "probe"), "probe"))) {
                throw new IOException(KEY_FILE + " and " + PUBLIC_FILE + " are not one key pair");
            }
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read " + KEY_FILE + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new IOException(KEY_FILE + " and " + PUBLIC_FILE + " in " + directory + " are not one key pair", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The 32-byte id of a recovery key that envelopes name: SHA-256 of its X.509 encoding. */
    public static byte[] idOf(PublicKey recoveryKey) {
        return Hashes.sha256(recoveryKey.getEncoded());
    }
}
