package org.epost.overlay.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import org.epost.overlay.id.Id;

/**
 * What a node needs to join the overlay: its private key, its CA-signed certificate, and the organization's CA
 * certificate to check everyone else's. Kept on disk as one PKCS12 file (the CA certificate as a trusted entry).
 */
public final class NodeCredentials {
    private static final String NODE_ALIAS = "node";
    private static final String CA_ALIAS = "organization-ca";

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final X509Certificate authority;

    public NodeCredentials(PrivateKey privateKey, X509Certificate certificate, X509Certificate authority) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.authority = authority;
    }

    public Id nodeId() {
        return NodeCertificates.nodeIdOf(certificate.getPublicKey());
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public X509Certificate authority() {
        return authority;
    }

    /** Writes the credentials atomically (temp file + rename), readable by the owner only. */
    public void save(Path file, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(NODE_ALIAS, privateKey, password, new Certificate[] {certificate, authority});
            store.setCertificateEntry(CA_ALIAS, authority);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, password);
            }
            temporary.toFile().setReadable(false, false);
            temporary.toFile().setReadable(true, true);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot write node credentials to " + file, e);
        }
    }

    public static NodeCredentials load(Path file, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            PrivateKey key = (PrivateKey) store.getKey(NODE_ALIAS, password);
            X509Certificate certificate = (X509Certificate) store.getCertificate(NODE_ALIAS);
            X509Certificate authority = (X509Certificate) store.getCertificate(CA_ALIAS);
            if (key == null || certificate == null || authority == null) {
                throw new IOException(file + " lacks the node key, its certificate or the organization CA certificate");
            }
            return new NodeCredentials(key, certificate, authority);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read node credentials from " + file + ": " + e.getMessage(), e);
        }
    }
}
