package org.epost.post.accounts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;


import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Signatures;

/**
 * The organization's <em>user CA</em>: the Ed25519 key that signs user certificate blocks (PAST's
 * {@code BlockVerifier} checks certificate blocks against one Ed25519 key), endorsed by the organization's EC P-256
 * X.509 authority ({@code ca.p12}) so peers need to trust only {@code ca.pem}. See {@code package-info.java} for why.
 *
 * <p>Files, next to {@code ca.p12} in the authority directory:
 * <ul>
 *   <li>{@value #KEY_FILE} (mode 0600): {@code "EPUCAKEY" || salt (16) || iterations (4, big-endian) || nonce (12) ||
 *       AES-256-GCM(PBKDF2-HMAC-SHA256(password, salt, iterations), PKCS#8 private key)}, the header as associated
 *       data. A wrong password and a tampered file are both refused (they cannot be told apart).</li>
 *   <li>{@value #PUBLIC_FILE}: the X.509 public key ({@code PUBLIC KEY} PEM block) and the organization CA's
 *       {@code SHA256withECDSA} signature over {@code "epost/user-ca/v1" || 0x00 || X.509 public key}
 *       ({@code EPOST USER CA ENDORSEMENT} PEM block). Distributed to peers with {@code ca.pem}.</li>
 * </ul>
 */
public final class OrganizationUserAuthority implements UserCertificateIssuer {
    public static final String KEY_FILE = "user-ca.key";
    public static final String PUBLIC_FILE = "user-ca.pem";
    /** The organization authority's keystore (see {@code org.epost.overlay.security.OrganizationAuthority}). */
    static final String ORGANIZATION_KEYSTORE = "ca.p12";
    static final int PBKDF2_ITERATIONS = PasswordSealing.PBKDF2_ITERATIONS;
    private static final byte[] KEY_MAGIC = "EPUCAKEY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENDORSEMENT_CONTEXT = "epost/user-ca/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final String ENDORSEMENT_PEM = "EPOST USER CA ENDORSEMENT";

    private final KeyPair keys;

    private OrganizationUserAuthority(KeyPair keys) {
        this.keys = keys;
    }

    /** An authority over an Ed25519 key pair the caller keeps itself (tests, or another key store). */
    public static OrganizationUserAuthority of(KeyPair ed25519) {
        Objects.requireNonNull(ed25519, "ed25519");
        try {
            Signatures.decodePublicKey(ed25519.getPublic().getEncoded());
        } catch (CryptoException e) {
            throw new IllegalArgumentException("The user CA key is Ed25519", e);
        }
        return new OrganizationUserAuthority(ed25519);
    }

    /**
     * Creates the user CA in the organization authority directory (at ca-init time, by the admin): a fresh Ed25519
     * key, endorsed with the organization CA key from {@code ca.p12} (opened with {@code caPassword}), its private
     * key sealed under {@code userCaPassword} (which the provisioning peer is configured with; it need not, and
     * should not, be ca.p12's password). Refuses to overwrite an existing user CA.
     */
    public static OrganizationUserAuthority create(Path directory, char[] caPassword, char[] userCaPassword)
            throws IOException {
        if (Files.exists(directory.resolve(KEY_FILE))) {
            throw new IOException(directory.resolve(KEY_FILE) + " already exists: an organization has one user CA");
        }
        PrivateKey organizationKey = loadOrganizationKey(directory, caPassword);
        KeyPair keys = Signatures.generateKeyPair();
        String pem = EndorsedKey.endorse(organizationKey, ENDORSEMENT_CONTEXT, keys.getPublic().getEncoded(),
                ENDORSEMENT_PEM, "user CA");
        KeyVault.writeAtomically(directory, KEY_FILE, seal(keys.getPrivate(), userCaPassword), false);
        KeyVault.writeAtomically(directory, PUBLIC_FILE, pem.getBytes(StandardCharsets.US_ASCII), true);
        return new OrganizationUserAuthority(keys);
    }

    /** Loads the user CA, creating it on first use (see {@link #create}). */
    public static OrganizationUserAuthority loadOrCreate(Path directory, char[] caPassword, char[] userCaPassword)
            throws IOException {
        if (Files.exists(directory.resolve(KEY_FILE))) {
            return load(directory, userCaPassword);
        }
        return create(directory, caPassword, userCaPassword);
    }

    /** Loads the user CA's key pair from {@value #KEY_FILE} and {@value #PUBLIC_FILE}. */
    public static OrganizationUserAuthority load(Path directory, char[] userCaPassword) throws IOException {
        PublicKey publicKey = readPublicKey(directory.resolve(PUBLIC_FILE));
        PrivateKey privateKey = unseal(Files.readAllBytes(directory.resolve(KEY_FILE)), userCaPassword);
        byte[] probe = "epost/user-ca/probe".getBytes(StandardCharsets.US_ASCII);
        if (!Signatures.verify(publicKey, probe, Signatures.sign(privateKey, probe))) {
            throw new IOException(KEY_FILE + " and " + PUBLIC_FILE + " in " + directory + " are not one key pair");
        }
        return new OrganizationUserAuthority(new KeyPair(publicKey, privateKey));
    }

    /**
     * The user CA public key in {@value #PUBLIC_FILE} of {@code directory}, without checking its endorsement: for
     * verifying blocks of a peer whose POST services checked it (see {@link #loadTrustedPublicKey}).
     */
    public static PublicKey publicKeyIn(Path directory) throws IOException {
        return readPublicKey(directory.resolve(PUBLIC_FILE));
    }

    /**
     * What a peer trusts: the user CA public key from {@code userCaPem}, accepted only if the organization CA
     * ({@code ca.pem}, {@code organizationCa}) endorsed it. This is the key to give every {@code BlockVerifier}.
     */
    public static PublicKey loadTrustedPublicKey(Path userCaPem, X509Certificate organizationCa) throws IOException {
        byte[] publicKey = EndorsedKey.readEndorsed(userCaPem, organizationCa, ENDORSEMENT_CONTEXT, ENDORSEMENT_PEM,
                "user CA");
        try {
            return Signatures.decodePublicKey(publicKey);
        } catch (CryptoException e) {
            throw new IOException("Cannot verify the user CA in " + userCaPem + ": " + e.getMessage(), e);
        }
    }

    /**
     * Version {@code version} of the public-key block {@code label} of this authority's key: what the organization
     * publishes for every peer to trust (the spam defences' organization block list).
     */
    public org.epost.overlay.past.block.PublicKeyBlock signBlock(String label, long version, byte[] payload) {
        return org.epost.overlay.past.block.PublicKeyBlock.sign(keys, label, version, payload);
    }

    /**
     * The organization's revocation list as the PAST block peers read it from (the user CA key owns that block; the
     * list inside is signed by the organization CA).
     */
    public org.epost.overlay.past.block.PublicKeyBlock publishRevocations(
            org.epost.overlay.security.RevocationList list) {
        return org.epost.post.revocation.RevocationBlocks.wrap(list, keys);
    }

    @Override
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    @Override
    public UserCertificate issue(String address, PublicKey signingKey, PublicKey encryptionKey, long notAfterMillis) {
        return UserCertificate.issue(keys.getPrivate(), address, signingKey, encryptionKey, notAfterMillis);
    }

    // ------------------------------------------------------------------ files

    static PrivateKey loadOrganizationKey(Path directory, char[] caPassword) throws IOException {
        Path keystore = directory.resolve(ORGANIZATION_KEYSTORE);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, caPassword);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return (PrivateKey) store.getKey(alias, caPassword);
                }
            }
            throw new IOException(keystore + " holds no organization authority key");
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot open the organization authority " + keystore + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return Signatures.decodePublicKey(EndorsedKey.readPublicKey(file));
        } catch (CryptoException e) {
            throw new IOException(file + " holds no Ed25519 public key", e);
        }
    }

    static byte[] seal(PrivateKey key, char[] password) {
        byte[] pkcs8 = key.getEncoded();
        try {
            return PasswordSealing.seal(KEY_MAGIC, pkcs8, password);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    static PrivateKey unseal(byte[] sealed, char[] password) throws IOException {
        byte[] pkcs8 = PasswordSealing.unseal(KEY_MAGIC, KEY_FILE, sealed, password);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read " + KEY_FILE + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }
}
