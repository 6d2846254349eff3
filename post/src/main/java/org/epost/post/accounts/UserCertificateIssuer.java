package org.epost.post.accounts;

import java.security.PublicKey;

/** Whoever may certify users: {@link OrganizationUserAuthority} on a peer that holds the user CA key. */
public interface UserCertificateIssuer {

    /** The Ed25519 key certificates are signed with (what every peer's {@code BlockVerifier} trusts). */
    PublicKey publicKey();

    /** Certifies that {@code address} (normalized) uses these keys until {@code notAfterMillis}. */
    UserCertificate issue(String address, PublicKey signingKey, PublicKey encryptionKey, long notAfterMillis);
}
