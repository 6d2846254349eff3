package org.epost.overlay.security;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.epost.overlay.id.Id;

/**
 * Decides whether the certificate a peer presented on a link entitles it to the node id it claims: signed by the
 * organization's CA, valid now, not itself a CA, not revoked, and the claimed id is the hash of the certified key. TLS already
 * checked the chain; this check is repeated here because the id binding is ours and cheap to make certain.
 */
public final class PeerCertificateVerifier {
    private final X509Certificate authority;
    private final Revocations revocations;

    public PeerCertificateVerifier(X509Certificate authority) {
        this(authority, new Revocations(authority.getPublicKey()));
    }

    /** A verifier that also refuses the nodes {@code revocations} currently lists. */
    public PeerCertificateVerifier(X509Certificate authority, Revocations revocations) {
        this.authority = authority;
        this.revocations = revocations;
    }

    /** @return empty when acceptable, else why not (for the log line of the rejected connection) */
    public Optional<String> rejection(X509Certificate presented, Id claimedId, Instant now) {
        try {
            presented.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("certificate of " + presented.getSubjectX500Principal() + " is not signed by the organization CA");
        }
        try {
            presented.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return Optional.of("certificate of " + presented.getSubjectX500Principal() + " is not valid at " + now);
        }
        if (presented.getBasicConstraints() >= 0) {
            return Optional.of("a CA certificate cannot identify a node");
        }
        Id certifiedId = NodeCertificates.nodeIdOf(presented.getPublicKey());
        if (!certifiedId.equals(claimedId)) {
            return Optional.of("claims node id " + claimedId.toHex() + " but its certificate is for " + certifiedId.toHex());
        }
        if (revocations.nodeRevoked(certifiedId)) {
            return Optional.of("node " + certifiedId.toHex() + " is revoked by the organization ("
                + revocations.current().map(RevocationList::toString).orElse("") + ")");
        }
        return Optional.empty();
    }
}
