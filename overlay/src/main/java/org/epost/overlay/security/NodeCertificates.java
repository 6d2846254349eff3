package org.epost.overlay.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.epost.overlay.id.Id;

/**
 * The organization's certificate authority and the node certificates it signs (DESIGN.md section 3). Keys are
 * EC P-256 so that the JDK's own TLS 1.3 uses them directly; certificates are built with Bouncy Castle. A node's id
 * is the first 160 bits of SHA-256 of its encoded public key, so a certificate proves which id its holder may use.
 */
public final class NodeCertificates {
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeCertificates() {
    }

    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has EC P-256", e);
        }
    }

    /** The overlay id a node with this public key owns. */
    public static Id nodeIdOf(PublicKey publicKey) {
        return Id.hash(publicKey.getEncoded());
    }

    /** A self-signed CA certificate for the organization, created once by its admin. */
    public static X509Certificate createAuthority(KeyPair caKeys, String organization, Instant notBefore, Duration validity) {
        X500Name name = name(organization + " ePOST CA", organization);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
            Date.from(notBefore.plus(validity)), name, caKeys.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            return sign(builder, caKeys);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot build the CA certificate", e);
        }
    }

    /** A node certificate: subject CN = the peer's name, signed by the organization's CA. */
    public static X509Certificate issueNodeCertificate(KeyPair caKeys, X509Certificate caCertificate, PublicKey nodeKey,
                                                       String peerName, Instant notBefore, Duration validity) {
        X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        String organization = issuer.getRDNs(BCStyle.O).length > 0
            ? issuer.getRDNs(BCStyle.O)[0].getFirst().getValue().toString() : "ePOST";
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore),
            Date.from(notBefore.plus(validity)), name(peerName, organization), nodeKey);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
            return sign(builder, caKeys);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot build the node certificate of " + peerName, e);
        }
    }

    private static X500Name name(String commonName, String organization) {
        return new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, organization)
            .addRDN(BCStyle.CN, commonName)
            .build();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws CertificateException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new CertificateException("Cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }
}
