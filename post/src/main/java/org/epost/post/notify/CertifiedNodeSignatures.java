package org.epost.post.notify;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.function.LongSupplier;

import org.epost.overlay.id.Id;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.NodeCredentials;

/**
 * Node signatures with the node's CA-certified key (the one its TLS links present): SHA256withECDSA, the credential
 * being the node certificate (DER). A signature verifies only if the certificate was signed by this organization's CA,
 * is valid at the clock's time, and its key is the one the signer's node id is derived from.
 */
public final class CertifiedNodeSignatures implements NodeSignatures {
    private static final String ALGORITHM = "SHA256withECDSA";
    private static final int MAX_CREDENTIAL_BYTES = 8192;
    private final NodeCredentials credentials;
    private final byte[] certificate;
    private final LongSupplier clock;

    public CertifiedNodeSignatures(NodeCredentials credentials, LongSupplier clock) {
        this.credentials = credentials;
        this.clock = clock;
        try {
            this.certificate = credentials.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("unencodable node certificate", e);
        }
    }

    @Override
    public byte[] credential() {
        return certificate.clone();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(credentials.privateKey());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the node key", e);
        }
    }

    @Override
    public boolean verify(Id signer, byte[] credential, byte[] data, byte[] signature) {
        if (signer == null || credential == null || credential.length > MAX_CREDENTIAL_BYTES || data == null
                || signature == null) {
            return false;
        }
        try {
            X509Certificate node = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(credential));
            node.verify(credentials.authority().getPublicKey());
            node.checkValidity(new Date(clock.getAsLong()));
            if (!NodeCertificates.nodeIdOf(node.getPublicKey()).equals(signer)) {
                return false;
            }
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(node.getPublicKey());
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
