package org.epost.overlay.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * An organization's certificate authority as its admin keeps it: the CA key and certificate in {@code ca.p12}
 * (password-protected), and the public certificate in {@code ca.pem} for peers. Created once; signs node
 * certificates (and, later, user certificates).
 */
public final class OrganizationAuthority {
    public static final String KEYSTORE_FILE = "ca.p12";
    public static final String CERTIFICATE_FILE = "ca.pem";
    private static final String ALIAS = "organization-ca";

    private final KeyPair keys;
    private final X509Certificate certificate;

    private OrganizationAuthority(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    public static OrganizationAuthority create(String organization, Instant notBefore, Duration validity) {
        KeyPair keys = NodeCertificates.generateKeyPair();
        return new OrganizationAuthority(keys, NodeCertificates.createAuthority(keys, organization, notBefore, validity));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Credentials for a new overlay node named {@code peerName}: a fresh key pair and its certificate. */
    public NodeCredentials issueNodeCredentials(String peerName, Instant notBefore, Duration validity) {
        KeyPair node = NodeCertificates.generateKeyPair();
        X509Certificate nodeCertificate = NodeCertificates.issueNodeCertificate(keys, certificate, node.getPublic(), peerName,
            notBefore, validity);
        return new NodeCredentials(node.getPrivate(), nodeCertificate, certificate);
    }

    /** Signs revocation list {@code number} (revoked node ids and user key hashes) with the CA key. */
    public RevocationList signRevocations(long number, Instant issuedAt, Instant nextUpdate,
                                          java.util.Set<org.epost.overlay.id.Id> nodes,
                                          java.util.Set<org.epost.overlay.id.Id> userKeys) {
        return RevocationList.sign(keys.getPrivate(), number, issuedAt, nextUpdate, nodes, userKeys);
    }

    /** Writes ca.p12 and ca.pem into {@code directory}; refuses to overwrite an existing authority. */
    public void save(Path directory, char[] password) throws IOException {
        Path keystore = directory.resolve(KEYSTORE_FILE);
        if (Files.exists(keystore)) {
            throw new IOException(keystore + " already exists: an organization has one authority; remove it deliberately to start over");
        }
        Files.createDirectories(directory);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, keys.getPrivate(), password, new Certificate[] {certificate});
            Path temporary = directory.resolve(KEYSTORE_FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, password);
            }
            temporary.toFile().setReadable(false, false);
            temporary.toFile().setReadable(true, true);
            Files.move(temporary, keystore, StandardCopyOption.ATOMIC_MOVE);
            try (Writer pem = Files.newBufferedWriter(directory.resolve(CERTIFICATE_FILE), StandardCharsets.US_ASCII)) {
                pem.write("-----BEGIN CERTIFICATE-----\n");
                pem.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()));
                pem.write("\n-----END CERTIFICATE-----\n");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot write the organization authority to " + directory, e);
        }
    }

    public static OrganizationAuthority load(Path directory, char[] password) throws IOException {
        Path keystore = directory.resolve(KEYSTORE_FILE);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, password);
            X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
            if (key == null || certificate == null) {
                throw new IOException(keystore + " holds no organization authority");
            }
            return new OrganizationAuthority(new KeyPair(certificate.getPublicKey(), key), certificate);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read the organization authority from " + keystore + ": " + e.getMessage(), e);
        }
    }
}
